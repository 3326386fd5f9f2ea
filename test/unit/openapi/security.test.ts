/** The spec's securitySchemes applied to the gateway's credential headers (issue #5): where each auth_type's value goes. */
import { describe, expect, it } from 'vitest';
import type { UpstreamAuthType } from '../../../src/mcp/server-definition.js';
import type { SecurityRequirement } from '../../../src/openapi/operations.js';
import { applySecurity, type SecuredRequest } from '../../../src/openapi/security.js';

const SCHEMES: Record<string, unknown> = {
  headerKey: { type: 'apiKey', in: 'header', name: 'api_key' },
  queryKey: { type: 'apiKey', in: 'query', name: 'key' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
  bearer: { type: 'http', scheme: 'bearer' },
  basic: { type: 'http', scheme: 'basic' },
};

function secure(authType: UpstreamAuthType, headers: Record<string, string>, security: SecurityRequirement[]) {
  const request: SecuredRequest = { headers: new Map(), query: [], cookies: [] };
  for (const [name, value] of Object.entries(headers)) request.headers.set(name.toLowerCase(), { name, value });
  applySecurity(security, SCHEMES, authType, request);
  return {
    headers: Object.fromEntries([...request.headers.values()].map(({ name, value }) => [name, value])),
    query: request.query,
    cookies: request.cookies,
  };
}

describe('applySecurity', () => {
  it('moves an api_key credential from X-API-Key to the spec header, query or cookie and drops the generic header', () => {
    expect(secure('api_key', { 'X-API-Key': 'k1' }, [{ headerKey: [] }]).headers).toEqual({ api_key: 'k1' });
    expect(secure('api_key', { 'X-API-Key': 'k 1' }, [{ queryKey: [] }])).toEqual({ headers: {}, query: ['key=k%201'], cookies: [] });
    expect(secure('api_key', { 'X-API-Key': 'k1' }, [{ cookieKey: [] }])).toEqual({ headers: {}, query: [], cookies: ['session=k1'] });
  });

  it('keeps X-API-Key when the spec names that very header', () => {
    const scheme = { type: 'apiKey', in: 'header', name: 'x-api-key' };
    const request: SecuredRequest = { headers: new Map([['x-api-key', { name: 'X-API-Key', value: 'k1' }]]), query: [], cookies: [] };
    applySecurity([{ own: [] }], { own: scheme }, 'api_key', request);
    expect([...request.headers.values()]).toEqual([{ name: 'X-API-Key', value: 'k1' }]);
  });

  it('takes the scheme word off a bearer_token, oauth2 or token credential before moving it, in any case', () => {
    expect(secure('bearer_token', { Authorization: 'Bearer t1' }, [{ queryKey: [] }]).query).toEqual(['key=t1']);
    expect(secure('oauth2', { authorization: 'bearer  t2' }, [{ queryKey: [] }]).query).toEqual(['key=t2']);
    expect(secure('token', { Authorization: 'token t3' }, [{ headerKey: [] }]).headers).toEqual({ Authorization: 'token t3', api_key: 't3' });
    expect(secure('authorization', { Authorization: 'Custom t4' }, [{ queryKey: [] }]).query).toEqual(['key=Custom%20t4']);
    // A per-request Authorization without the scheme word is moved as it is.
    expect(secure('bearer_token', { authorization: 'raw' }, [{ queryKey: [] }]).query).toEqual(['key=raw']);
  });

  it('keeps a static X-API-Key under another auth type when the bearer credential moves to the query', () => {
    const secured = secure('bearer_token', { Authorization: 'Bearer t1', 'X-API-Key': 'static' }, [{ queryKey: [] }]);
    expect(secured.query).toEqual(['key=t1']);
    expect(secured.headers).toEqual({ Authorization: 'Bearer t1', 'X-API-Key': 'static' });
  });

  it('sends an api_key credential as a bearer token when the spec asks for bearer', () => {
    expect(secure('api_key', { 'X-API-Key': 'k1' }, [{ bearer: [] }]).headers).toEqual({ Authorization: 'Bearer k1' });
  });

  it('moves nothing out of basic credentials (encoded), but an Authorization header satisfies a basic scheme', () => {
    expect(secure('basic', { Authorization: 'Basic dTpw' }, [{ queryKey: [] }])).toEqual({ headers: { Authorization: 'Basic dTpw' }, query: [], cookies: [] });
    expect(secure('basic', { Authorization: 'Basic dTpw' }, [{ queryKey: [] }, { basic: [] }]).headers).toEqual({ Authorization: 'Basic dTpw' });
  });

  it('uses the first alternative that can be met and sends nothing for none', () => {
    expect(secure('api_key', { 'X-API-Key': 'k1' }, [{ basic: [] }, { queryKey: [], cookieKey: [] }])).toEqual({
      headers: {},
      query: ['key=k1'],
      cookies: ['session=k1'],
    });
    expect(secure('none', {}, [{ queryKey: [] }, { bearer: [] }])).toEqual({ headers: {}, query: [], cookies: [] });
  });
});
