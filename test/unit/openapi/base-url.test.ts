/** Base URL resolution (issue #5 point 1): url override, servers[0] with variables and relative URLs, Swagger 2. */
import { describe, expect, it } from 'vitest';
import { resolveBaseUrl } from '../../../src/openapi/base-url.js';
import { OpenApiSpecError } from '../../../src/http/errors.js';

const base = (document: Record<string, unknown>, options: { override?: string; specUrl?: string } = {}) =>
  resolveBaseUrl(document, { server: 'api', ...options }).href;

describe('resolveBaseUrl', () => {
  it('prefers the configured url', () => {
    expect(base({ servers: [{ url: 'https://spec.example/v1' }] }, { override: 'http://127.0.0.1:9000/api/' })).toBe('http://127.0.0.1:9000/api');
  });

  it('fills server variables with their defaults and resolves a relative server against the spec URL, port included', () => {
    const document = { servers: [{ url: '/t/{tenant}/v{major}', variables: { tenant: { default: 'acme' }, major: { default: '2' } } }] };
    expect(base(document, { specUrl: 'http://127.0.0.1:8080/specs/openapi.yaml' })).toBe('http://127.0.0.1:8080/t/acme/v2');
  });

  it('builds Swagger 2 URLs from schemes, host and basePath, host defaulting to the spec URL', () => {
    expect(base({ swagger: '2.0', host: 'api.example', basePath: '/v1', schemes: ['http', 'https'] })).toBe('https://api.example/v1');
    expect(base({ swagger: '2.0', basePath: '/v1', schemes: ['http'] }, { specUrl: 'http://10.0.0.5:81/swagger.json' })).toBe('http://10.0.0.5:81/v1');
  });

  it('fails naming the server and the key to set when there is no base URL', () => {
    expect(() => base({ openapi: '3.0.0', paths: {} })).toThrow(OpenApiSpecError);
    expect(() => base({ servers: [{ url: '/v1' }] })).toThrow('set mcp_servers.api.url');
  });
});
