/**
 * `GET /spend/logs` (LiteLLM's path and query parameters: `api_key`, `request_id`, `start_date`, `end_date`,
 * `summarize`, plus Gatehouse's `team_id` and `limit`). Master key only. As LiteLLM's: with both dates and
 * `summarize` true (the default) it answers per-day sums (spend-day-summary-view.ts), otherwise rows. This
 * replica's buffered rows are written first, so a client sees its own requests; another replica's rows appear after
 * its next batch (`proxy_batch_write_at`).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { tokenOf } from '../auth/key-token.js';
import { requireAdminHook } from '../auth/proxy-admin.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { InvalidRequestError } from '../http/errors.js';
import { spendDaySummaries } from '../spend/spend-day-summary-view.js';
import { spendLogView } from '../spend/spend-log-view.js';
import type { SpendLogFilter, SpendLogQuery, SpendLogsRepository } from '../store/index.js';

export interface SpendRoutesOptions {
  callers: CallerResolver;
  spendLogs: SpendLogsRepository;
  /** Writes this replica's buffered rows. */
  flush: () => Promise<void>;
}

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// FastAPI's (pydantic's) spellings of a boolean query parameter, which LiteLLM's `summarize: bool` accepts.
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);

type SpendLogsRequest = { kind: 'rows'; query: SpendLogQuery } | { kind: 'summary'; filter: SpendLogFilter; endDay: number };

export const spendRoutes: FastifyPluginAsync<SpendRoutesOptions> = async (app, { callers, spendLogs, flush }) => {
  app.addHook('onRequest', requireAdminHook(callers));

  app.get('/spend/logs', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const wanted = spendLogsRequest(request.query);
    await flush();
    if (wanted.kind === 'summary') return spendDaySummaries(await spendLogs.sumByDay(wanted.filter), wanted.endDay);
    return (await spendLogs.list(wanted.query)).map(spendLogView);
  });
};

function spendLogsRequest(raw: Record<string, unknown>): SpendLogsRequest {
  const filter: SpendLogFilter = {};
  const apiKey = text(raw, 'api_key');
  if (apiKey !== undefined) filter.api_key = tokenOf(apiKey);
  const requestId = text(raw, 'request_id');
  if (requestId !== undefined) filter.request_id = requestId;
  const teamId = text(raw, 'team_id');
  if (teamId !== undefined) filter.team_id = teamId;
  const summarize = flag(raw, 'summarize') ?? true;
  const limit = rowLimit(raw);
  const start = text(raw, 'start_date');
  const end = text(raw, 'end_date');
  // LiteLLM ignores a lone date and answers every row; naming the missing one is the honest answer.
  if ((start === undefined) !== (end === undefined)) {
    const missing = start === undefined ? 'start_date' : 'end_date';
    throw new InvalidRequestError(`Please provide start_date and end_date together; ${missing} is missing.`, { param: missing });
  }
  if (start === undefined || end === undefined) return { kind: 'rows', query: { ...filter, limit } };
  // LiteLLM's window: start_time from start_date through end_date, both instants and both inclusive; a date is
  // 00:00 UTC of that day, so end_date=2025-06-02 reaches 2025-06-02T00:00:00.000Z and no further.
  const through = instant(end, 'end_date');
  filter.start_time_from = instant(start, 'start_date');
  filter.start_time_before = through + 1;
  if (!summarize) return { kind: 'rows', query: { ...filter, limit } };
  return { kind: 'summary', filter, endDay: Math.floor(through / DAY_MS) };
}

function rowLimit(raw: Record<string, unknown>): number {
  const limit = text(raw, 'limit');
  if (limit === undefined) return DEFAULT_LIMIT;
  const value = /^\d+$/.test(limit) ? Number(limit) : NaN;
  if (!(value >= 1 && value <= MAX_LIMIT)) throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_LIMIT}.`, { param: 'limit' });
  return value;
}

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`${name} must be given once, as a string.`, { param: name });
  return value;
}

function flag(raw: Record<string, unknown>, name: string): boolean | undefined {
  const value = text(raw, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  throw new InvalidRequestError(`${name} must be true or false; got "${value}".`, { param: name });
}

/** `YYYY-MM-DD` (00:00 UTC) or an ISO 8601 timestamp → epoch milliseconds. */
function instant(value: string, name: string): number {
  const time = DATE_ONLY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  // Date.parse rolls 2025-02-30 over to March; a calendar date must name a real day.
  const real = !Number.isNaN(time) && (!DATE_ONLY.test(value) || new Date(time).toISOString().startsWith(value));
  if (!real) throw new InvalidRequestError(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp; got "${value}".`, { param: name });
  return time;
}
