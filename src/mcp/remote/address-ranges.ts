/**
 * Which IP addresses a remote MCP `server_url` may not reach by default: the proxy's own host and networks
 * (loopback, link-local incl. cloud metadata at 169.254.169.254, private, CGNAT, unspecified) and addresses that
 * are never a server (multicast, reserved). IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are
 * judged by that IPv4 address.
 */
import { BlockList, isIP } from 'node:net';

export type AddressCategory = 'loopback' | 'link-local' | 'private' | 'unspecified' | 'shared (CGNAT)' | 'reserved' | 'multicast';

/** RFC 6890 special-purpose ranges that must not be reachable from a request (first match names the category). */
const DENIED_RANGES: readonly { category: AddressCategory; cidrs: readonly string[] }[] = [
  { category: 'unspecified', cidrs: ['0.0.0.0/8', '::/128'] },
  { category: 'loopback', cidrs: ['127.0.0.0/8', '::1/128'] },
  { category: 'link-local', cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { category: 'private', cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10'] },
  { category: 'shared (CGNAT)', cidrs: ['100.64.0.0/10'] },
  { category: 'multicast', cidrs: ['224.0.0.0/4', 'ff00::/8'] },
  // IETF protocol assignments, benchmarking, 240/4 (incl. broadcast), and the deprecated IPv4-compatible ::/96.
  { category: 'reserved', cidrs: ['192.0.0.0/24', '198.18.0.0/15', '240.0.0.0/4', '::/96'] },
];

/** IPv6 prefixes whose low or middle bits are an IPv4 address the packet may end up at. */
const NAT64_PREFIX = '64:ff9b::/96';
const SIX_TO_FOUR_PREFIX = '2002::/16';

export interface AddressClassifier {
  /** The denied category of `address` (an IP literal without brackets), or undefined for a public address. */
  classify(address: string): AddressCategory | undefined;
}

/** Builds the lists once (at policy construction), so a check is a few BlockList lookups. */
export function createAddressClassifier(): AddressClassifier {
  const lists = DENIED_RANGES.map(({ category, cidrs }) => ({ category, list: blockListOf(cidrs) }));
  const nat64 = blockListOf([NAT64_PREFIX]);
  const sixToFour = blockListOf([SIX_TO_FOUR_PREFIX]);

  const classify = (address: string): AddressCategory | undefined => {
    const family = isIP(address);
    if (family === 0) return 'reserved';
    const type = family === 4 ? 'ipv4' : 'ipv6';
    // BlockList matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against IPv4 rules by itself.
    for (const { category, list } of lists) if (list.check(address, type)) return category;
    if (family === 6) {
      if (nat64.check(address, 'ipv6')) return classify(embeddedIpv4(address, 6));
      if (sixToFour.check(address, 'ipv6')) return classify(embeddedIpv4(address, 1));
    }
    return undefined;
  };
  return { classify };
}

export function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix] = cidr.split('/');
    list.addSubnet(network, Number(prefix), isIP(network) === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** The IPv4 address in hextets `at` and `at + 1` of an IPv6 address. */
function embeddedIpv4(address: string, at: number): string {
  const hextets = expandIpv6(address);
  const high = hextets[at];
  const low = hextets[at + 1];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 literal (`::` expanded, a dotted-quad tail converted). */
export function expandIpv6(address: string): number[] {
  let text = address.split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/** `a.b.c.d/n` or `v6::/n` with a prefix that fits the family, normalised; undefined otherwise. */
export function parseCidr(entry: string): string | undefined {
  const [network, prefixText, extra] = entry.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(prefixText ?? '')) return undefined;
  const family = isIP(network);
  const prefix = Number(prefixText);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  return `${network}/${prefix}`;
}
