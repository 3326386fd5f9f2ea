/**
 * The HTTP headers a remote MCP server receives: the `type: "mcp"` tool's `headers`, plus its `authorization` as
 * `Authorization: Bearer <value>` unless `headers` already set Authorization. Checked before anything is sent;
 * errors name the header, never its value.
 */
import { InvalidRequestError } from '../../http/errors.js';

/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, tab, space and obs-text: what a fetch ByteString header value may hold without CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers the transport or the MCP session owns: a request must not override them. */
const RESERVED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'te',
  'trailer',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]);

export interface RemoteHeaderInput {
  serverLabel: string;
  headers?: Record<string, string> | null;
  authorization?: string | null;
  /** The tool's request path, e.g. `tools[1]`. */
  param?: string;
}

export function buildRemoteHeaders(input: RemoteHeaderInput): Record<string, string> {
  const server = `MCP server "${input.serverLabel}"`;
  const headersParam = field(input.param, 'headers');
  const out: Record<string, string> = {};
  let hasAuthorization = false;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!HEADER_NAME.test(name)) {
      throw new InvalidRequestError(`${server}: a name in headers is not a valid HTTP header name.`, { param: headersParam });
    }
    if (RESERVED.has(name.toLowerCase())) {
      throw new InvalidRequestError(`${server}: header "${name}" is set by the proxy and cannot be sent in headers.`, { param: headersParam });
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw new InvalidRequestError(`${server}: the value of header "${name}" is not a valid HTTP header value.`, { param: headersParam });
    }
    if (name.toLowerCase() === 'authorization') hasAuthorization = true;
    out[name] = value;
  }
  const authorization = input.authorization;
  if (authorization !== undefined && authorization !== null && authorization !== '') {
    if (typeof authorization !== 'string' || !HEADER_VALUE.test(authorization)) {
      throw new InvalidRequestError(`${server}: authorization is not a valid token.`, { param: field(input.param, 'authorization') });
    }
    if (!hasAuthorization) out.Authorization = `Bearer ${authorization}`;
  }
  return out;
}

export function field(param: string | undefined, name: string): string {
  return param === undefined ? name : `${param}.${name}`;
}
