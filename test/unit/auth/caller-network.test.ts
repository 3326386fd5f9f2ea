import { describe, expect, it } from 'vitest';
import { CallerNetwork } from '../../../src/auth/caller-network.js';
import { ConfigError } from '../../../src/config/config-error.js';

describe('CallerNetwork', () => {
  it('treats RFC 1918 and loopback peers as internal by default, and everything else as external', () => {
    const network = new CallerNetwork();
    for (const address of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '::1', '::ffff:10.9.9.9', '::ffff:127.0.0.1']) {
      expect(network.isExternal(address, {}), address).toBe(false);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '100.64.0.1', '2001:db8::1', '::ffff:8.8.8.8', 'not-an-ip']) {
      expect(network.isExternal(address, {}), address).toBe(true);
    }
    expect(network.isExternal(undefined, {})).toBe(true);
  });

  it('uses the configured ranges instead of the defaults', () => {
    const network = new CallerNetwork(['100.64.0.0/10', 'fd00::/8']);
    expect(network.isExternal('100.70.1.1', {})).toBe(false);
    expect(network.isExternal('fd12::1', {})).toBe(false);
    expect(network.isExternal('10.1.2.3', {})).toBe(true);
    expect(network.isExternal('127.0.0.1', {})).toBe(true);
  });

  it('ignores X-Forwarded-For unless use_x_forwarded_for is set, then reads its first entry', () => {
    const plain = new CallerNetwork();
    expect(plain.isExternal('127.0.0.1', { 'x-forwarded-for': '8.8.8.8' })).toBe(false);
    expect(plain.isExternal('8.8.8.8', { 'x-forwarded-for': '10.0.0.1' })).toBe(true);

    const behindProxy = new CallerNetwork(undefined, true);
    expect(behindProxy.isExternal('127.0.0.1', { 'x-forwarded-for': '8.8.8.8, 10.0.0.1' })).toBe(true);
    expect(behindProxy.isExternal('127.0.0.1', { 'x-forwarded-for': '10.0.0.1, 8.8.8.8' })).toBe(false);
    expect(behindProxy.isExternal('127.0.0.1', { 'x-forwarded-for': '192.168.0.4:5123' })).toBe(false);
    expect(behindProxy.isExternal('127.0.0.1', { 'x-forwarded-for': '[::1]:443' })).toBe(false);
    expect(behindProxy.isExternal('127.0.0.1', { 'x-forwarded-for': 'garbage' })).toBe(true);
    // No header: the TCP peer.
    expect(behindProxy.isExternal('127.0.0.1', {})).toBe(false);
  });

  it('refuses an entry that is not a CIDR, naming its path', () => {
    expect(() => new CallerNetwork(['10.0.0.0/8', '10.0.0.0', '300.1.1.1/8', '::1/129'])).toThrow(ConfigError);
    expect(() => new CallerNetwork(['10.0.0.0/8', 'nope'])).toThrow(/general_settings\.mcp_internal_ip_ranges\[1\]: "nope" is not a CIDR/);
  });
});
