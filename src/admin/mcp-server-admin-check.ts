/**
 * Who may write MCP servers: proxy admins, i.e. the master key (and everyone when no master key is configured);
 * virtual keys are never admins.
 */
import type { Caller } from '../auth/resolve-caller.js';

export function isProxyAdmin(caller: Caller): boolean {
  return caller.kind === 'master' || caller.kind === 'open';
}

/** How the audit fields (`created_by`, `updated_by`) name the caller; never the key itself. */
export function actorOf(caller: Caller): string {
  return caller.kind === 'master' ? 'proxy_admin' : caller.kind === 'open' ? 'anonymous' : 'virtual_key';
}
