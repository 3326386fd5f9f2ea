/**
 * The spec's `securitySchemes` applied to one request. The credential is the server's own (`auth_type` /
 * `auth_value`, `x-mcp-auth`, oauth2 client credentials, `x-mcp-<server>-*`), which the gateway has already
 * turned into headers; a scheme that wants it elsewhere (apiKey in a named header, the query or a cookie;
 * bearer) gets the same value moved there. The first alternative of the requirement that can be met is used.
 */
import { authCredential } from '../mcp/credentials/upstream-headers.js';
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

/** The gateway's credential and the header it was read from. */
type Credential = { header: string; value: string } | undefined;

export function applySecurity(
  requirements: readonly SecurityRequirement[],
  schemes: Readonly<Record<string, unknown>>,
  authType: UpstreamAuthType,
  request: SecuredRequest,
): void {
  if (requirements.length === 0) return;
  const credential = authCredential(authType, (name) => request.headers.get(name)?.value);
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
function planScheme(scheme: Scheme | undefined, credential: Credential, request: SecuredRequest): (() => void) | null {
  if (scheme === undefined) return null;
  const type = String(scheme.type ?? '');
  const has = (header: string): boolean => request.headers.has(header.toLowerCase());
  if (type === 'apiKey' && typeof scheme.name === 'string') {
    const name = scheme.name;
    if (scheme.in === 'header') {
      if (has(name)) return () => undefined;
      if (credential === undefined) return null;
      return () => {
        request.headers.set(name.toLowerCase(), { name, value: credential.value });
        dropGenericApiKey(request, credential, name);
      };
    }
    if (scheme.in === 'query') {
      const prefix = `${encodeURIComponent(name)}=`;
      if (request.query.some((piece) => piece.startsWith(prefix))) return () => undefined;
      if (credential === undefined) return null;
      return () => {
        request.query.push(`${prefix}${encodeURIComponent(credential.value)}`);
        dropGenericApiKey(request, credential, undefined);
      };
    }
    if (scheme.in === 'cookie') {
      if (request.cookies.some((pair) => pair.startsWith(`${name}=`))) return () => undefined;
      if (credential === undefined) return null;
      return () => {
        request.cookies.push(`${name}=${encodeURIComponent(credential.value)}`);
        dropGenericApiKey(request, credential, undefined);
      };
    }
    return null;
  }
  if (type === 'http' && String(scheme.scheme ?? '').toLowerCase() === 'bearer') {
    if (has('authorization')) return () => undefined;
    if (credential === undefined) return null;
    return () => {
      request.headers.set('authorization', { name: 'Authorization', value: `Bearer ${credential.value}` });
      dropGenericApiKey(request, credential, undefined);
    };
  }
  // basic (Swagger 2 `basic`, http basic), oauth2, openIdConnect and other http schemes: an Authorization
  // header from the server's auth_type satisfies them; there is nothing to move.
  return has('authorization') ? () => undefined : null;
}

/**
 * `auth_type: api_key` sends the key in the gateway's generic header (`X-API-Key`); once the spec placed that key
 * elsewhere, the guess goes. Authorization stays (another scheme of the alternative may rest on it), and so does
 * an `X-API-Key` under any other auth type: there it is configuration (static headers), not the gateway's guess.
 */
function dropGenericApiKey(request: SecuredRequest, credential: NonNullable<Credential>, keptName: string | undefined): void {
  const generic = credential.header.toLowerCase();
  if (generic === 'authorization' || keptName?.toLowerCase() === generic) return;
  if (request.headers.get(generic)?.name === credential.header) request.headers.delete(generic);
}
