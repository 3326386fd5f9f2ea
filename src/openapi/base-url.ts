/**
 * Where an OpenAPI server's REST calls go: the configured `url`, else the spec's `servers[0]` (server variables
 * filled with their defaults, a relative URL taken relative to the spec's own URL), else Swagger 2's
 * `schemes`/`host`/`basePath` (host defaulting to the spec URL's host).
 */
import { OpenApiSpecError } from '../http/errors.js';

export function resolveBaseUrl(document: Record<string, unknown>, options: { override?: string; specUrl?: string; server: string }): URL {
  const chosen = options.override ?? fromServers(document) ?? fromSwagger2(document, options.specUrl);
  if (chosen === undefined) {
    throw new OpenApiSpecError(
      `OpenAPI spec of MCP server "${options.server}" names no server URL: set mcp_servers.${options.server}.url to the API's base URL.`,
    );
  }
  let url: URL;
  try {
    url = options.specUrl !== undefined ? new URL(chosen, options.specUrl) : new URL(chosen);
  } catch {
    throw new OpenApiSpecError(
      `OpenAPI spec of MCP server "${options.server}" has a relative server URL "${chosen}" and was not loaded from a URL: set mcp_servers.${options.server}.url.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OpenApiSpecError(`The base URL of MCP server "${options.server}" must be http(s), not ${url.protocol}`);
  }
  // Operation paths are appended, so the base never ends with a slash.
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

function fromServers(document: Record<string, unknown>): string | undefined {
  const servers = document.servers;
  if (!Array.isArray(servers) || servers.length === 0) return undefined;
  const first = servers[0] as { url?: unknown; variables?: Record<string, { default?: unknown }> };
  if (typeof first.url !== 'string') return undefined;
  const variables = first.variables ?? {};
  return first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const value = variables[name]?.default;
    return value === undefined ? whole : String(value);
  });
}

function fromSwagger2(document: Record<string, unknown>, specUrl: string | undefined): string | undefined {
  if (typeof document.swagger !== 'string') return undefined;
  const spec = specUrl !== undefined ? new URL(specUrl) : undefined;
  const host = typeof document.host === 'string' ? document.host : spec?.host;
  if (host === undefined) return undefined;
  const schemes = Array.isArray(document.schemes) ? document.schemes.filter((scheme): scheme is string => typeof scheme === 'string') : [];
  const scheme = schemes.includes('https') ? 'https' : (schemes[0] ?? spec?.protocol.replace(':', '') ?? 'https');
  const basePath = typeof document.basePath === 'string' ? document.basePath : '';
  return `${scheme}://${host}${basePath}`;
}
