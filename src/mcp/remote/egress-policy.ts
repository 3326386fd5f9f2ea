/**
 * The egress policy for remote MCP servers (`type: "mcp"` tools with a `server_url` of their own): a request must
 * not make the proxy reach its own host or networks. `check` refuses a URL before any connection is tried;
 * `resolveForConnect` runs the same rules on the address a connection is about to use (egress-dispatcher.ts), so a
 * host that resolves differently the second time (DNS rebinding) is refused too.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { LoadedConfig } from '../../config/load-config.js';
import { ConfigError } from '../../config/config-error.js';
import { InvalidRequestError, McpEgressDeniedError, McpHostUnresolvedError } from '../../http/errors.js';
import { createAddressClassifier, type AddressClassifier } from './address-ranges.js';
import { EGRESS_ALLOWLIST_KEY, parseEgressAllowlist, type EgressAllowlist } from './egress-allowlist.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses (`dns.promises.lookup` with `all: true` by default). */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface EgressPolicyOptions {
  /** Injected by tests (e.g. a resolver that answers differently the second time). */
  lookup?: HostLookup;
  /** Names the config file in a ConfigError for a bad allow-list entry. */
  configSource?: string;
}

export interface EgressCheckOptions {
  /** The request field at fault in a 400, e.g. `tools[1].server_url`. */
  param?: string;
  /** Named in error messages (the tool's `server_label`). */
  serverLabel?: string;
}

/** A destination that passed the policy. */
export interface EgressTarget {
  url: URL;
  /** The URL's host without brackets, e.g. `mcp.example.com` or `::1`. */
  hostname: string;
  port: number;
}

const DEFAULT_LOOKUP: HostLookup = (hostname) => dnsLookup(hostname, { all: true });

export class EgressPolicy {
  private readonly allowlist: EgressAllowlist;
  private readonly classifier: AddressClassifier = createAddressClassifier();
  private readonly lookup: HostLookup;

  /** Throws a ConfigError naming `general_settings.mcp_egress_allowlist[i]` for an entry it cannot parse. */
  constructor(allowlist: readonly string[] = [], options: EgressPolicyOptions = {}) {
    const parsed = parseEgressAllowlist(allowlist);
    if (parsed.problems.length > 0) throw new ConfigError(parsed.problems, options.configSource ?? 'general_settings');
    this.allowlist = parsed.allowlist;
    this.lookup = options.lookup ?? DEFAULT_LOOKUP;
  }

  static fromConfig(loaded: LoadedConfig, options: Omit<EgressPolicyOptions, 'configSource'> = {}): EgressPolicy {
    return new EgressPolicy(loaded.config.general_settings?.mcp_egress_allowlist ?? [], { ...options, configSource: loaded.source });
  }

  /**
   * Refuses `url` unless it is http(s) and every address its host is or resolves to is public or allow-listed.
   * Errors name the host, never the path or query (which may carry a token).
   */
  async check(url: string, options: EgressCheckOptions = {}): Promise<void> {
    const target = this.parse(url, options);
    await this.resolveForConnect(target.hostname, target.port, options);
  }

  /** Parses and vets the URL's form (scheme, no userinfo) without resolving it. */
  parse(url: string, options: EgressCheckOptions = {}): EgressTarget {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidRequestError(`${egressSubject(options)}server_url is not a valid absolute URL.`, { param: options.param });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new McpEgressDeniedError(
        `${egressSubject(options)}server_url scheme "${parsed.protocol.slice(0, 20)}" is not allowed: remote MCP servers are reached over http or https only.`,
        { param: options.param },
      );
    }
    if (parsed.username !== '' || parsed.password !== '') {
      throw new InvalidRequestError(
        `${egressSubject(options)}server_url must not carry credentials in the URL; send them in the tool's headers or authorization.`,
        { param: options.param },
      );
    }
    const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    return { url: parsed, hostname, port };
  }

  /**
   * The address to connect to for `hostname:port` (an IP literal is its own address), after the same checks as
   * `check`: every resolved address must pass, so a host with one internal address is refused whole.
   */
  async resolveForConnect(hostname: string, port: number, options: EgressCheckOptions = {}): Promise<ResolvedAddress> {
    const family = isIP(hostname);
    const addresses = family !== 0 ? [{ address: hostname, family }] : await this.resolve(hostname, options);
    for (const { address } of addresses) {
      if (this.allowlist.allows(hostname, address, port)) continue;
      const category = this.classifier.classify(address);
      if (category === undefined) continue;
      const resolves = family !== 0 ? 'is' : 'resolves to';
      throw new McpEgressDeniedError(
        `${egressSubject(options)}server_url host "${display(hostname)}" ${resolves} a ${category} address, which remote MCP servers may not reach. ` +
          `To allow it, add "${display(hostname)}:${port}" (or a CIDR) to ${EGRESS_ALLOWLIST_KEY}.`,
        { param: options.param },
      );
    }
    return addresses[0];
  }

  private async resolve(hostname: string, options: EgressCheckOptions): Promise<readonly ResolvedAddress[]> {
    let addresses: readonly ResolvedAddress[];
    try {
      addresses = await this.lookup(hostname);
    } catch (error) {
      throw new McpHostUnresolvedError(`${egressSubject(options)}server_url host "${hostname}" cannot be resolved (${errorCode(error)}).`, {
        param: options.param,
        cause: error,
      });
    }
    if (addresses.length === 0) {
      throw new McpHostUnresolvedError(`${egressSubject(options)}server_url host "${hostname}" has no addresses.`, { param: options.param });
    }
    return addresses;
  }
}

/** How egress errors name the server: `MCP server "<server_label>": `, or nothing without a label. */
export function egressSubject(options: EgressCheckOptions): string {
  return options.serverLabel !== undefined ? `MCP server "${options.serverLabel}": ` : '';
}

/** IPv6 literals are written in brackets, as in a URL. */
function display(hostname: string): string {
  return isIP(hostname) === 6 ? `[${hostname}]` : hostname;
}

function errorCode(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : 'lookup failed';
}
