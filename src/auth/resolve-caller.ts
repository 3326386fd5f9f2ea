/**
 * Who is calling: reads the key from `x-litellm-api-key` or `Authorization: Bearer …` (the first wins, as in
 * LiteLLM) and checks it against the master key, then against the virtual keys (through the in-process KeyCache).
 * With no master key configured the proxy is open, and presented keys are not looked at.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidApiKeyError, KeyBlockedError, KeyExpiredError, MissingApiKeyError } from '../http/errors.js';
import type { OrganizationRecord, TeamRecord, KeyRecord } from '../store/index.js';
import { CallerNetwork } from './caller-network.js';
import type { KeyCache } from './key-cache.js';
import { withoutBearer } from './bearer.js';

export type Caller = (
  | { kind: 'master' }
  | { kind: 'open' }
  | { kind: 'key'; key: KeyRecord; team: TeamRecord | null; organization: OrganizationRecord | null }
) & {
  /** Set when the caller's address is outside the internal ranges (caller-network.ts): no internal-only MCP servers. */
  external?: true;
};

/** Which header carries the proxy key on this request (so it is never forwarded upstream). */
export type ProxyKeyHeader = 'authorization' | 'x-litellm-api-key' | null;

export class CallerResolver {
  private readonly masterDigest: Buffer | null;

  constructor(
    masterKey: string | undefined,
    private readonly keys: KeyCache | null = null,
    private readonly now: () => number = Date.now,
    private readonly network: CallerNetwork = new CallerNetwork(),
  ) {
    this.masterDigest = masterKey ? digest(masterKey) : null;
  }

  get open(): boolean {
    return this.masterDigest === null;
  }

  /** `remoteAddress`: the TCP peer's address, which decides with the headers whether the caller is external. */
  async resolve(headers: IncomingHttpHeaders, remoteAddress?: string): Promise<Caller> {
    // One async function, no await but the key lookup's: this runs on every request.
    const external = this.network.isExternal(remoteAddress, headers);
    if (this.masterDigest === null) return zoned({ kind: 'open' }, external);
    const key = presentedKey(headers);
    if (key === undefined) {
      throw new MissingApiKeyError(
        'No API key provided. Send it as `Authorization: Bearer <key>` or in the `x-litellm-api-key` header.',
      );
    }
    const presented = digest(key);
    // Compare fixed-length digests so the check takes the same time whatever the key's length.
    if (timingSafeEqual(presented, this.masterDigest)) return zoned({ kind: 'master' }, external);
    const resolved = this.keys === null ? null : await this.keys.lookup(presented.toString('hex'));
    if (resolved === null) throw new InvalidApiKeyError('Invalid API key.');
    const { key: record, team, organization } = resolved;
    if (record.expires !== null && record.expires <= this.now()) {
      throw new KeyExpiredError(`API key ${record.key_name} expired at ${new Date(record.expires).toISOString()}.`);
    }
    if (record.blocked) throw new KeyBlockedError(`API key ${record.key_name} is blocked.`);
    if (team?.blocked === true) throw new KeyBlockedError(`API key ${record.key_name} belongs to team "${team.team_id}", which is blocked.`);
    return zoned({ kind: 'key', key: record, team, organization }, external);
  }
}

function zoned(caller: Caller, external: boolean): Caller {
  if (external) caller.external = true;
  return caller;
}

/** `x-litellm-api-key` wins over `Authorization`, as in LiteLLM. */
export function proxyKeyHeader(headers: IncomingHttpHeaders): ProxyKeyHeader {
  const litellm = headers['x-litellm-api-key'];
  if (typeof litellm === 'string' && litellm.trim() !== '') return 'x-litellm-api-key';
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.trim() !== '') return 'authorization';
  return null;
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = proxyKeyHeader(headers);
  const value = header === null ? undefined : headers[header];
  return typeof value === 'string' ? withoutBearer(value) : undefined;
}

/** sha256 of the key: the master-key comparison and the virtual key's stored `token` (its hex form) alike. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
