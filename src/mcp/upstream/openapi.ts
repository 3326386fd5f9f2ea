/**
 * OpenAPI upstreams (`spec_path`): the REST API's in-process MCP server (openapi/openapi-server.ts), joined to
 * the hub's client by the SDK's linked in-memory transports. Pooling, catalog cache, list_changed, filters and
 * permissions then work exactly as for a remote server.
 */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createOpenApiServer } from '../../openapi/openapi-server.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { TransportDeps, UpstreamCredentials } from './upstream.js';

export function createOpenApiTransport(server: McpServerDefinition, credentials: UpstreamCredentials, deps: TransportDeps): Transport {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const mcp = createOpenApiServer(server, credentials.headers, deps.openapi);
  // connect() installs its handlers before its first await, so the client's first message is never missed.
  mcp.connect(serverSide).catch((error: unknown) => clientSide.onerror?.(error instanceof Error ? error : new Error(String(error))));
  return clientSide;
}
