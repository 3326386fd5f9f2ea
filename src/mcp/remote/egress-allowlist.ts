/**
 * `general_settings.mcp_egress_allowlist`: destinations a remote MCP `server_url` may reach although the default
 * policy refuses them. An entry is `host:port`, `host` (any port) or a CIDR (`10.1.0.0/16`, `::1/128`, any port).
 * A host entry matches the URL's host name or the address it resolves to; a CIDR matches the address.
 */
import { isIP, type BlockList } from 'node:net';
import { blockListOf, parseCidr } from './address-ranges.js';

export const EGRESS_ALLOWLIST_KEY = 'general_settings.mcp_egress_allowlist';

/** Every port of a host. */
const ANY_PORT = 0;

export interface EgressAllowlist {
  /** True when the destination (URL host name, one resolved address, port) is listed. */
  allows(hostname: string, address: string, port: number): boolean;
}

export interface ParsedAllowlist {
  allowlist: EgressAllowlist;
  /** One line per bad entry, starting with its YAML path. */
  problems: string[];
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

export function parseEgressAllowlist(entries: readonly string[] = []): ParsedAllowlist {
  const problems: string[] = [];
  const cidrs: string[] = [];
  const hosts = new Map<string, Set<number>>();
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    const path = `${EGRESS_ALLOWLIST_KEY}[${index}]`;
    if (entry.includes('/')) {
      const cidr = parseCidr(entry);
      if (cidr === undefined) problems.push(`${path}: "${entry}" is not a CIDR such as 10.1.0.0/16 or ::1/128`);
      else cidrs.push(cidr);
      return;
    }
    const hostPort = parseHostPort(entry);
    if (hostPort === undefined) {
      problems.push(`${path}: "${entry}" is not host, host:port or a CIDR`);
      return;
    }
    const ports = hosts.get(hostPort.host) ?? new Set<number>();
    ports.add(hostPort.port);
    hosts.set(hostPort.host, ports);
  });
  const subnets: BlockList | undefined = cidrs.length > 0 ? blockListOf(cidrs) : undefined;

  const hostAllows = (host: string | undefined, port: number): boolean => {
    const ports = host === undefined ? undefined : hosts.get(host);
    return ports !== undefined && (ports.has(ANY_PORT) || ports.has(port));
  };
  return {
    problems,
    allowlist: {
      allows(hostname, address, port) {
        if (hostAllows(normalizeHost(hostname), port) || hostAllows(normalizeHost(address), port)) return true;
        const family = isIP(address);
        return subnets !== undefined && family !== 0 && subnets.check(address, family === 4 ? 'ipv4' : 'ipv6');
      },
    },
  };
}

/**
 * A host as the WHATWG URL parser writes it (lower case, punycode, IPv4 in dotted form, IPv6 compressed), without
 * brackets or a trailing dot, so an entry, a URL host and a resolved address compare equal; undefined if invalid.
 */
export function normalizeHost(host: string): string | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === '' || /[@/?#\\\s]/.test(bare)) return undefined;
  try {
    const hostname = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
    return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}


function parseHostPort(entry: string): { host: string; port: number } | undefined {
  let host = entry;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    if (isIP(bracketed[1]) !== 6) return undefined;
    host = bracketed[1];
    portText = bracketed[2];
  } else if (entry.split(':').length === 2) {
    [host, portText] = entry.split(':');
  } else if (entry.includes(':') && isIP(entry) !== 6) {
    return undefined; // several colons: only a bare IPv6 literal is meant that way
  }
  const port = portText === undefined ? ANY_PORT : Number(portText);
  if (portText !== undefined && (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535)) return undefined;
  const normalized = normalizeHost(host);
  if (normalized === undefined || (isIP(normalized) === 0 && !HOSTNAME.test(normalized))) return undefined;
  return { host: normalized, port };
}
