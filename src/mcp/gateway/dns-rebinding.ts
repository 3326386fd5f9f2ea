/**
 * DNS-rebinding protection for the MCP endpoints (MCP spec: validate Origin; a foreign Host is refused).
 * Loopback names and IP literals are always accepted (rebinding needs a DNS name); other names only when
 * listed in `general_settings.mcp_allowed_hosts` / `mcp_allowed_origins`. With a master key configured and
 * no lists, the check is off: a rebound page cannot present the key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

export interface RebindingPolicy {
  enabled: boolean;
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
  anyHost: boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain']);

export function rebindingPolicy(settings: {
  masterKey?: string;
  allowedHosts?: string[];
  allowedOrigins?: string[];
}): RebindingPolicy {
  const configured = settings.allowedHosts !== undefined || settings.allowedOrigins !== undefined;
  const hosts = new Set((settings.allowedHosts ?? []).map((host) => host.toLowerCase()));
  return {
    enabled: configured || settings.masterKey === undefined,
    hosts,
    origins: new Set((settings.allowedOrigins ?? []).map((origin) => origin.toLowerCase().replace(/\/$/, ''))),
    anyHost: hosts.has('*'),
  };
}

/** Why the request is refused, or undefined when it may proceed. */
export function rebindingViolation(policy: RebindingPolicy, headers: IncomingHttpHeaders): string | undefined {
  if (!policy.enabled) return undefined;
  const host = hostnameOf(headers.host ?? '');
  if (!policy.anyHost && !hostAllowed(policy, host)) {
    return `Host "${host}" is not allowed; add it to general_settings.mcp_allowed_hosts.`;
  }
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const normalized = origin.toLowerCase().replace(/\/$/, '');
    let originHost = '';
    try {
      originHost = new URL(normalized).hostname;
    } catch {
      return `Origin "${origin}" is not a valid origin.`;
    }
    if (!policy.origins.has(normalized) && !hostAllowed(policy, originHost)) {
      return `Origin "${origin}" is not allowed; add it to general_settings.mcp_allowed_origins.`;
    }
  }
  return undefined;
}

function hostAllowed(policy: RebindingPolicy, host: string): boolean {
  return LOOPBACK_NAMES.has(host) || isIP(host.replace(/^\[|\]$/g, '')) !== 0 || policy.hosts.has(host);
}

function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}
