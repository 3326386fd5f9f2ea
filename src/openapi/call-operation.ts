/**
 * One tool call → one REST request → one MCP result: the arguments are checked with the tool's ajv validator
 * (parameter strings such as `"1"` read as numbers first, param-coercion.ts; nothing is sent when they fail), the request is built (path values checked and encoded, query and cookies
 * serialised per style, headers, body encoded per media type), the server's credential headers and the spec's
 * security schemes applied, and the answer mapped by result-mapping.ts.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamAuthType } from '../mcp/server-definition.js';
import { encodeBody } from './body-encoding.js';
import type { OpenApiTool, OpenApiToolSet } from './build-tools.js';
import { coerceScalarStrings } from './param-coercion.js';
import { ParameterValueError, serializeCookie, serializeHeader, serializePath, serializeQuery } from './param-serialization.js';
import type { RestLimits, RestClient, RestRequest } from './rest-client.js';
import { errorResult, toToolResult } from './result-mapping.js';
import { applySecurity, type SecuredRequest } from './security.js';

export interface CallContext {
  server: string;
  authType: UpstreamAuthType;
  /** The gateway's resolved upstream headers for this credential variant (auth, static, forwarded). */
  credentialHeaders: Readonly<Record<string, string>>;
  rest: RestClient;
  limits: RestLimits;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export async function callOperation(
  toolSet: OpenApiToolSet,
  entry: OpenApiTool,
  sent: Record<string, unknown>,
  ctx: CallContext,
): Promise<CallToolResult> {
  const label = `MCP server "${ctx.server}" tool "${entry.tool.name}"`;
  const args = coerceScalarStrings(sent, entry.scalars);
  if (entry.validate && !entry.validate(args)) {
    const problems = (entry.validate.errors ?? []).map((error) => {
      const where = error.instancePath === '' ? '(arguments)' : error.instancePath.slice(1).replace(/\//g, '.');
      const extra = error.keyword === 'additionalProperties' ? ` "${String(error.params.additionalProperty)}"` : '';
      return `${where} ${error.message ?? 'is invalid'}${extra}`;
    });
    return errorResult(`Invalid arguments for ${label}; nothing was sent: ${[...new Set(problems)].join('; ')}.`);
  }
  let request: RestRequest;
  try {
    request = buildRequest(toolSet, entry, args, ctx);
  } catch (error) {
    if (error instanceof ParameterValueError) return errorResult(`Invalid arguments for ${label}; nothing was sent: ${error.message}.`);
    throw error;
  }
  const outcome = await ctx.rest.send(request, ctx.limits, `REST API of MCP server "${ctx.server}"`);
  return toToolResult(outcome);
}

export function buildRequest(toolSet: OpenApiToolSet, entry: OpenApiTool, args: Record<string, unknown>, ctx: CallContext): RestRequest {
  const { operation, input } = entry;
  const secured: SecuredRequest = { headers: new Map(), query: [], cookies: [] };
  for (const [name, value] of Object.entries(ctx.credentialHeaders)) secured.headers.set(name.toLowerCase(), { name, value });
  let path = operation.path;
  for (const { property, param } of input.params) {
    const value = args[property];
    if (value === undefined) continue;
    switch (param.in) {
      case 'path':
        path = path.split(`{${param.name}}`).join(serializePath(param, value));
        break;
      case 'query':
        secured.query.push(...serializeQuery(param, value));
        break;
      case 'header':
        if (!HEADER_NAME.test(param.name)) throw new ParameterValueError(`header parameter "${param.name}" is not a valid header name`);
        secured.headers.set(param.name.toLowerCase(), { name: param.name, value: serializeHeader(param, value) });
        break;
      case 'cookie':
        secured.cookies.push(...serializeCookie(param, value));
        break;
    }
  }
  if (/\{[^}]+\}/.test(path)) throw new ParameterValueError(`path ${operation.path} has a parameter the spec does not declare`);
  let body: Buffer | undefined;
  if (operation.body && input.bodyProperty !== undefined && args[input.bodyProperty] !== undefined) {
    const encoded = encodeBody(operation.body.contentType, args[input.bodyProperty], operation.body.schema);
    secured.headers.set('content-type', { name: 'content-type', value: encoded.contentType });
    body = encoded.payload;
  }
  applySecurity(operation.security, toolSet.securitySchemes, ctx.authType, secured);
  const headers: Record<string, string> = {};
  for (const { name, value } of secured.headers.values()) headers[name] = value;
  if (secured.cookies.length > 0) {
    const existing = Object.entries(headers).find(([name]) => name.toLowerCase() === 'cookie');
    if (existing) delete headers[existing[0]];
    headers.cookie = [existing?.[1], ...secured.cookies].filter((part) => part !== undefined && part !== '').join('; ');
  }
  if (!secured.headers.has('accept')) headers.accept = 'application/json, */*;q=0.5';
  const url = new URL(toolSet.baseUrl.href);
  url.pathname = `${toolSet.baseUrl.pathname}${path}`;
  url.search = secured.query.length > 0 ? `?${secured.query.join('&')}` : '';
  return { url, method: operation.method.toUpperCase(), headers, body };
}
