/**
 * Issue #4, point 2 (remote `server_url`s behind an egress policy): loopback, link-local, private and other
 * internal destinations are refused before any connection is attempted unless `general_settings.mcp_egress_allowlist`
 * lists them; public addresses pass. Only `check()` is run for public addresses: no traffic leaves loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config/config-error.js';
import { parseConfig } from '../../../../src/config/load-config.js';
import { InvalidRequestError, McpEgressDeniedError, McpHostUnresolvedError } from '../../../../src/http/errors.js';
import { EgressPolicy, type HostLookup, type ResolvedAddress } from '../../../../src/mcp/remote/egress-policy.js';
import { startCountingListener, type CountingListener } from '../../../fixtures/counting-listener.js';

let listener: CountingListener;

beforeAll(async () => {
  listener = await startCountingListener();
});

afterAll(async () => {
  await listener.close();
});

/** A resolver for made-up names (`*.test`), so no test depends on, or sends anything to, real DNS. */
function fakeDns(table: Record<string, readonly string[]>): HostLookup {
  return async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(policy: EgressPolicy, url: string): Promise<unknown> {
  return policy.check(url).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('EgressPolicy.check: refused by default (issue #4: 127.0.0.1, 169.254.169.254, 10.0.0.1 refused unless allow-listed)', () => {
  const policy = new EgressPolicy([], { lookup: fakeDns({ 'internal.test': ['127.0.0.1'], 'split.test': ['93.184.216.34', '10.1.2.3'] }) });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['[::1]', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['[::]', 'unspecified'],
    ['[fe80::1]', 'link-local'],
    ['[fd12:3456::1]', 'private'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['[::ffff:169.254.169.254]', 'link-local'],
    ['2130706433', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['internal.test', 'loopback'],
    ['split.test', 'private'],
  ])('refuses http://%s:<port> (%s) with 403 mcp_egress_denied and never connects', async (host, category) => {
    const before = listener.connections;
    const error = await refusal(policy, `http://${host}:${listener.port}/mcp?token=SECRET-QUERY`);
    expect(error).toBeInstanceOf(McpEgressDeniedError);
    const denied = error as McpEgressDeniedError;
    expect(denied.status).toBe(403);
    expect(denied.code).toBe('mcp_egress_denied');
    expect(denied.message).toContain(`${category} address`);
    expect(denied.message).toContain('general_settings.mcp_egress_allowlist');
    expect(denied.message).not.toContain('SECRET-QUERY');
    expect(denied.message).not.toContain('/mcp');
    expect(listener.connections).toBe(before);
  });

  it('refuses localhost as the system resolver answers it (dns.lookup, all addresses)', async () => {
    const before = listener.connections;
    const error = await refusal(new EgressPolicy(), `http://localhost:${listener.port}/mcp`);
    expect(error).toBeInstanceOf(McpEgressDeniedError);
    expect((error as McpEgressDeniedError).message).toContain('"localhost" resolves to a loopback address');
    expect(listener.connections).toBe(before);
  });

  it('names the host and the allow-list entry to add', async () => {
    const error = (await refusal(policy, `http://10.0.0.1:8080/path`)) as McpEgressDeniedError;
    expect(error.message).toContain('"10.0.0.1"');
    expect(error.message).toContain('"10.0.0.1:8080"');
  });

  it.each(['file:///etc/passwd', 'ftp://93.184.216.34/', 'gopher://93.184.216.34:70/', 'ws://93.184.216.34/', 'data:text/plain,hi'])(
    'refuses the non-http scheme of %s with 403',
    async (url) => {
      const error = await refusal(policy, url);
      expect(error).toBeInstanceOf(McpEgressDeniedError);
      expect((error as McpEgressDeniedError).message).toMatch(/http or https only/);
    },
  );

  it('answers a malformed URL with 400 invalid_request naming the tool field', async () => {
    const error = await policy.check('not a url', { param: 'tools[2].server_url' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).param).toBe('tools[2].server_url');
  });

  it('refuses credentials in the URL with 400 and does not repeat them', async () => {
    const error = (await refusal(policy, 'https://user:hunter2@93.184.216.34/mcp')) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).not.toContain('hunter2');
  });

  it('answers a host that does not resolve with 424 mcp_host_unresolved naming the host', async () => {
    const error = (await refusal(policy, 'https://nowhere.test/mcp?key=SECRET-QUERY')) as McpHostUnresolvedError;
    expect(error).toBeInstanceOf(McpHostUnresolvedError);
    expect(error.status).toBe(424);
    expect(error.message).toContain('"nowhere.test"');
    expect(error.message).toContain('ENOTFOUND');
    expect(error.message).not.toContain('SECRET-QUERY');
  });
});

describe('EgressPolicy.check: allowed destinations', () => {
  it('passes a public IP literal (check only: nothing is sent to it)', async () => {
    const policy = new EgressPolicy([], { lookup: fakeDns({}) });
    await expect(policy.check('https://93.184.216.34/mcp')).resolves.toBeUndefined();
    await expect(policy.check('http://[2606:2800:220:1:248:1893:25c8:1946]:8080/mcp')).resolves.toBeUndefined();
    await expect(policy.check('http://172.32.0.1/')).resolves.toBeUndefined();
  });

  it('passes a host name that resolves only to public addresses', async () => {
    const policy = new EgressPolicy([], { lookup: fakeDns({ 'mcp.example.test': ['93.184.216.34', '2606:2800:220:1::1'] }) });
    await expect(policy.check('https://mcp.example.test/mcp')).resolves.toBeUndefined();
  });

  it('allows an allow-listed 127.0.0.1:<port>, and only that port (issue #4: allow-listed loopback port works)', async () => {
    const policy = new EgressPolicy([`127.0.0.1:${listener.port}`]);
    await expect(policy.check(`http://127.0.0.1:${listener.port}/mcp`)).resolves.toBeUndefined();
    await expect(refusal(policy, `http://127.0.0.1:${listener.port + 1}/mcp`)).resolves.toBeInstanceOf(McpEgressDeniedError);
    await expect(refusal(policy, 'http://10.0.0.1/')).resolves.toBeInstanceOf(McpEgressDeniedError);
  });

  it('allows every address of an allow-listed CIDR on any port', async () => {
    const policy = new EgressPolicy(['127.0.0.0/8', '::1/128'], { lookup: fakeDns({ 'internal.test': ['127.0.0.2'] }) });
    await expect(policy.check(`http://127.0.0.1:${listener.port}/mcp`)).resolves.toBeUndefined();
    await expect(policy.check('http://127.200.0.1:9/')).resolves.toBeUndefined();
    await expect(policy.check('http://internal.test:81/')).resolves.toBeUndefined();
    await expect(policy.check('http://[::1]:8080/')).resolves.toBeUndefined();
    await expect(policy.check('http://[::ffff:127.0.0.1]:8080/')).resolves.toBeUndefined();
    await expect(refusal(policy, 'http://169.254.169.254/latest/meta-data/')).resolves.toBeInstanceOf(McpEgressDeniedError);
  });

  it('allows an allow-listed host name (with or without port) whatever it resolves to', async () => {
    const lookup = fakeDns({ 'tools.corp.test': ['10.4.0.7'], 'other.corp.test': ['10.4.0.8'] });
    const policy = new EgressPolicy(['Tools.Corp.Test:8443', 'other.corp.test'], { lookup });
    await expect(policy.check('https://tools.corp.test:8443/mcp')).resolves.toBeUndefined();
    await expect(refusal(policy, 'https://tools.corp.test/mcp')).resolves.toBeInstanceOf(McpEgressDeniedError);
    await expect(policy.check('http://other.corp.test:1234/')).resolves.toBeUndefined();
  });

  it('accepts bracketed and bare IPv6 entries', async () => {
    const policy = new EgressPolicy(['[::1]:8080', 'fe80::1']);
    await expect(policy.check('http://[::1]:8080/')).resolves.toBeUndefined();
    await expect(policy.check('http://[fe80::1]:9/')).resolves.toBeUndefined();
    await expect(refusal(policy, 'http://[::1]:8081/')).resolves.toBeInstanceOf(McpEgressDeniedError);
  });
});

describe('EgressPolicy: configuration', () => {
  it('is built from general_settings.mcp_egress_allowlist in config.yaml', async () => {
    const loaded = parseConfig(
      `model_list: []\ngeneral_settings:\n  mcp_egress_allowlist: ["127.0.0.1:${listener.port}", "10.8.0.0/16"]\n`,
      'test.yaml',
      {},
    );
    expect(loaded.warnings).toEqual([]);
    const policy = EgressPolicy.fromConfig(loaded);
    await expect(policy.check(`http://127.0.0.1:${listener.port}/`)).resolves.toBeUndefined();
    await expect(policy.check('http://10.8.1.1/')).resolves.toBeUndefined();
    await expect(refusal(policy, 'http://10.9.1.1/')).resolves.toBeInstanceOf(McpEgressDeniedError);
    expect(() => EgressPolicy.fromConfig(parseConfig('model_list: []\ngeneral_settings:\n  mcp_egress_allowlist: ["10.0.0.0/40"]\n', 'test.yaml', {}))).toThrow(
      /test\.yaml[\s\S]*general_settings\.mcp_egress_allowlist\[0\]/,
    );
  });

  it('rejects entries that are not host, host:port or a CIDR, naming the YAML path', () => {
    let caught: unknown;
    try {
      new EgressPolicy(['127.0.0.1:8080', '10.0.0.0/33', 'host:0', 'a:b:c', 'user@host'], { configSource: 'config.yaml' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      expect.stringMatching(/^general_settings\.mcp_egress_allowlist\[1\]: /),
      expect.stringMatching(/^general_settings\.mcp_egress_allowlist\[2\]: /),
      expect.stringMatching(/^general_settings\.mcp_egress_allowlist\[3\]: /),
      expect.stringMatching(/^general_settings\.mcp_egress_allowlist\[4\]: /),
    ]);
  });
});

describe('EgressPolicy.resolveForConnect: the connect-time check (DNS rebinding)', () => {
  it('refuses a host whose second resolution is private although the first was public', async () => {
    let calls = 0;
    const policy = new EgressPolicy([], {
      lookup: async () => [{ address: ++calls === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }],
    });
    await expect(policy.check('http://rebind.test/mcp')).resolves.toBeUndefined();
    await expect(policy.resolveForConnect('rebind.test', 80)).rejects.toBeInstanceOf(McpEgressDeniedError);
    expect(calls).toBe(2);
  });

  it('returns the checked address to connect to', async () => {
    const policy = new EgressPolicy([], { lookup: fakeDns({ 'mcp.example.test': ['93.184.216.34'] }) });
    await expect(policy.resolveForConnect('mcp.example.test', 443)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    await expect(policy.resolveForConnect('169.254.169.254', 80)).rejects.toBeInstanceOf(McpEgressDeniedError);
  });
});
