/**
 * `GET /spend/logs` (LiteLLM's path and query parameters: `api_key`, `request_id`, `start_date`, `end_date`, plus
 * `team_id` and `limit`). Master key only. This replica's buffered rows are written first, so a client sees its own
 * requests; another replica's rows appear after its next batch (`proxy_batch_write_at`).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { tokenOf } from '../auth/key-token.js';
import { requireAdminHook } from '../auth/proxy-admin.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { InvalidRequestError } from '../http/errors.js';
import { spendLogView } from '../spend/spend-log-view.js';
import type { SpendLogQuery, SpendLogsRepository } from '../store/index.js';

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

export const spendRoutes: FastifyPluginAsync<SpendRoutesOptions> = async (app, { callers, spendLogs, flush }) => {
  app.addHook('onRequest', requireAdminHook(callers));

  app.get('/spend/logs', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const query = spendLogQuery(request.query);
    await flush();
    return (await spendLogs.list(query)).map(spendLogView);
  });
};

function spendLogQuery(raw: Record<string, unknown>): SpendLogQuery {
  const query: SpendLogQuery = { limit: DEFAULT_LIMIT };
  const apiKey = text(raw, 'api_key');
  if (apiKey !== undefined) query.api_key = tokenOf(apiKey);
  const requestId = text(raw, 'request_id');
  if (requestId !== undefined) query.request_id = requestId;
  const teamId = text(raw, 'team_id');
  if (teamId !== undefined) query.team_id = teamId;
  const start = text(raw, 'start_date');
  if (start !== undefined) query.start_time_from = instant(start, 'start_date');
  const end = text(raw, 'end_date');
  // A date-only end_date (LiteLLM's `YYYY-MM-DD`) includes that whole day (UTC).
  if (end !== undefined) query.start_time_before = DATE_ONLY.test(end) ? instant(end, 'end_date') + DAY_MS : instant(end, 'end_date') + 1;
  const limit = text(raw, 'limit');
  if (limit !== undefined) {
    const value = /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!(value >= 1 && value <= MAX_LIMIT)) throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_LIMIT}.`, { param: 'limit' });
    query.limit = value;
  }
  return query;
}

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`${name} must be given once, as a string.`, { param: name });
  return value;
}

/** `YYYY-MM-DD` (UTC midnight) or an ISO 8601 timestamp → epoch milliseconds. */
function instant(value: string, name: string): number {
  const time = DATE_ONLY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidRequestError(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp; got "${value}".`, { param: name });
  return time;
}
