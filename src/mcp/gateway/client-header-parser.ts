/** Binds the MCP client-header parser to the registry and settings once, for per-request use. */
import type { IncomingHttpHeaders } from 'node:http';
import { parseMcpClientHeaders, type McpClientHeaders } from '../../auth/mcp-client-headers.js';
import { proxyKeyHeader } from '../../auth/resolve-caller.js';
import type { McpServerRegistry } from '../server-registry.js';

export type McpClientHeaderParser = (headers: IncomingHttpHeaders) => McpClientHeaders;

export function createClientHeaderParser(registry: McpServerRegistry, clientAuthHeaderName: string): McpClientHeaderParser {
  const servers = registry.all().map((server) => ({ id: server.id, name: server.name, alias: server.alias }));
  const name = clientAuthHeaderName.toLowerCase();
  return (headers) =>
    parseMcpClientHeaders(headers, servers, { clientAuthHeaderName: name, proxyKeyPresentedIn: proxyKeyHeader(headers) });
}
