/**
 * The spec's `securitySchemes` applied to one request. The credential is the server's own (`auth_type` /
 * `auth_value`, `x-mcp-auth`, oauth2 client credentials, `x-mcp-<server>-*`), which the gateway has already
 * turned into headers; a scheme that wants it elsewhere (apiKey in a named header, the query or a cookie;
 * bearer) gets the same value moved there. The first alternative of the requirement that can be met is used.
 */
import type { UpstreamAuthType } from '../mcp/server-definition.js';
import type { SecurityRequirement } from './operations.js';

export interface SecuredRequest {
  /** Lower-cased name → header. */
  headers: Map<string, { name: string; value: string }>;
  /** Encoded `name=value` query pieces. */
  query: string[];
  /** `name=value` cookie pairs. */
  cookies: string[];
}

type Scheme = { type?: unknown; in?: unknown; name?: unknown; scheme?: unknown };

export function applySecurity(
  requirements: readonly SecurityRequirement[],
  schemes: Readonly<Record<string, unknown>>,
  authType: UpstreamAuthType,
  request: SecuredRequest,
): void {
  if (requirements.length === 0) return;
  const credential = rawCredential(authType, request.headers);
  for (const alternative of requirements) {
    const names = Object.keys(alternative);
    const steps = names.map((name) => planScheme(schemes[name] as Scheme | undefined, credential, request));
    if (steps.every((step) => step !== null)) {
      for (const step of steps) step?.();
      return;
    }
  }
}

/** What to do for one scheme, or null when it cannot be met; a no-op when it already is. */
function planScheme(scheme: Scheme | undefined, credential: string | undefined, request: SecuredRequest): (() => void) | null {
  if (scheme === undefined) return null;
  const type = String(scheme.type ?? '');
  const has = (header: string): boolean => request.headers.has(header.toLowerCase());
  if (type === 'apiKey' && typeof scheme.name === 'string') {
    const name = scheme.name;
    if (scheme.in === 'header') {
      if (has(name)) return () => undefined;
      if (credential === undefined) return null;
      return () => {
        request.headers.set(name.toLowerCase(), { name, value: credential });
        dropGenericApiKey(request, name);
      };
    }
    if (scheme.in === 'query') {
      const prefix = `${encodeURIComponent(name)}=`;
      if (request.query.some((piece) => piece.startsWith(prefix))) return () => undefined;
      if (credential === undefined) return null;
      return () => {
        request.query.push(`${prefix}${encodeURIComponent(credential)}`);
        dropGenericApiKey(request, undefined);
      };
    }
    if (scheme.in === 'cookie') {
      if (request.cookies.some((pair) => pair.startsWith(`${name}=`))) return () => undefined;
      if (credential === undefined) return null;
      return () => {
        request.cookies.push(`${name}=${encodeURIComponent(credential)}`);
        dropGenericApiKey(request, undefined);
      };
    }
    return null;
  }
  if (type === 'http' && String(scheme.scheme ?? '').toLowerCase() === 'bearer') {
    if (has('authorization')) return () => undefined;
    if (credential === undefined) return null;
    return () => {
      request.headers.set('authorization', { name: 'Authorization', value: `Bearer ${credential}` });
      dropGenericApiKey(request, undefined);
    };
  }
  // basic (Swagger 2 `basic`, http basic), oauth2, openIdConnect and other http schemes: an Authorization
  // header from the server's auth_type satisfies them; there is nothing to move.
  return has('authorization') ? () => undefined : null;
}

/** `auth_type: api_key` sends `X-API-Key` by default; once the spec placed the key elsewhere, that guess goes. */
function dropGenericApiKey(request: SecuredRequest, keptName: string | undefined): void {
  if (keptName?.toLowerCase() === 'x-api-key') return;
  const generic = request.headers.get('x-api-key');
  if (generic !== undefined && generic.name === GENERIC_API_KEY_HEADER) request.headers.delete('x-api-key');
}

/** How credentials/upstream-headers.ts writes `auth_type: api_key`. */
const GENERIC_API_KEY_HEADER = 'X-API-Key';

/** The credential value behind the gateway's auth header for this auth type. */
function rawCredential(authType: UpstreamAuthType, headers: SecuredRequest['headers']): string | undefined {
  const authorization = headers.get('authorization')?.value;
  switch (authType) {
    case 'api_key':
      return headers.get('x-api-key')?.value;
    case 'bearer_token':
    case 'oauth2':
      return authorization?.replace(/^Bearer\s+/i, '');
    case 'token':
      return authorization?.replace(/^token\s+/i, '');
    case 'authorization':
      return authorization;
    default:
      return undefined;
  }
}
