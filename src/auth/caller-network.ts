/**
 * Whether a caller is internal or external, for LiteLLM's `available_on_public_internet: false` MCP servers (only
 * internal callers may use them). A caller is internal when its address is in `general_settings.mcp_internal_ip_ranges`
 * (default: RFC 1918, IPv4 and IPv6 loopback). The address is the TCP peer's, or with
 * `general_settings.use_x_forwarded_for: true` the first `X-Forwarded-For` entry (set that only behind a reverse
 * proxy that overwrites the header, since a client can send any value). An address that cannot be read is external.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP, type BlockList } from 'node:net';
import { ConfigError } from '../config/config-error.js';
import type { LoadedConfig } from '../config/load-config.js';
import { firstForwardedValue } from '../http/request-base-url.js';
import { blockListOf, parseCidr } from '../mcp/remote/address-ranges.js';

export const INTERNAL_RANGES_KEY = 'general_settings.mcp_internal_ip_ranges';

/** LiteLLM's defaults, plus IPv6 loopback. */
export const DEFAULT_INTERNAL_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '::1/128'];

/** Distinct caller addresses remembered (a proxy sees few; X-Forwarded-For values are the caller's to choose). */
const REMEMBERED_ADDRESSES = 1024;

export class CallerNetwork {
  private readonly internal: BlockList;
  /**
   * Address → external, since every request asks: `BlockList.check` builds a SocketAddress each time (3 µs a
   * request under the chat bench), a remembered answer is one Map lookup. Emptied when full rather than kept in
   * LRU order: a hit costs no reordering, and an address is re-judged at the cost of one check.
   */
  private readonly zones = new Map<string, boolean>();

  /** Throws a ConfigError naming `general_settings.mcp_internal_ip_ranges[i]` for an entry that is not a CIDR. */
  constructor(
    ranges: readonly string[] = DEFAULT_INTERNAL_RANGES,
    private readonly useForwardedFor = false,
    source = 'general_settings',
  ) {
    const problems: string[] = [];
    const cidrs = ranges.flatMap((entry, index) => {
      const cidr = parseCidr(entry.trim());
      if (cidr === undefined) problems.push(`${INTERNAL_RANGES_KEY}[${index}]: "${entry}" is not a CIDR such as 10.0.0.0/8 or ::1/128`);
      return cidr === undefined ? [] : [cidr];
    });
    if (problems.length > 0) throw new ConfigError(problems, source);
    this.internal = blockListOf(cidrs);
  }

  static fromConfig(loaded: LoadedConfig): CallerNetwork {
    const settings = loaded.config.general_settings;
    return new CallerNetwork(settings?.mcp_internal_ip_ranges ?? DEFAULT_INTERNAL_RANGES, settings?.use_x_forwarded_for === true, loaded.source);
  }

  /** True unless the caller's address is in an internal range. */
  isExternal(remoteAddress: string | undefined, headers: IncomingHttpHeaders): boolean {
    const address = this.useForwardedFor ? (firstForwardedFor(headers['x-forwarded-for']) ?? remoteAddress) : remoteAddress;
    if (address === undefined) return true;
    let external = this.zones.get(address);
    if (external === undefined) {
      const family = isIP(address);
      // BlockList matches an IPv4-mapped IPv6 peer (::ffff:10.1.2.3, a dual-stack listener's view) against IPv4 rules.
      external = family === 0 || !this.internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
      if (this.zones.size >= REMEMBERED_ADDRESSES) this.zones.clear();
      this.zones.set(address, external);
    }
    return external;
  }
}

/** The client's address as the first proxy saw it: the leftmost entry, without brackets or an IPv4 port. */
function firstForwardedFor(value: string | string[] | undefined): string | undefined {
  const first = firstForwardedValue(value);
  if (first === undefined) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first);
  if (bracketed) return bracketed[1];
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(first);
  return withPort ? withPort[1] : first;
}
