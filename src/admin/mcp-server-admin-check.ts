/**
 * Who may write MCP servers: proxy admins. Today that is the master key (and everyone when no master key is
 * configured); issue #6 part 1 adds virtual keys, which are not admins unless this says so.
 */
import type { Caller } from '../auth/resolve-caller.js';

export function isProxyAdmin(caller: Caller): boolean {
  return caller.kind === 'master' || caller.kind === 'open';
}

/** How the audit fields (`created_by`, `updated_by`) name the caller; never the key itself. */
export function actorOf(caller: Caller): string {
  return caller.kind === 'master' ? 'proxy_admin' : caller.kind === 'open' ? 'anonymous' : 'virtual_key';
}
