/** Legacy HTTP+SSE upstreams (MCP 2024-11-05): the credentials go on the GET stream and on every POST. */
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { SessionHooks, TransportDeps, UpstreamCredentials } from './upstream.js';

export function createSseTransport(
  server: McpServerDefinition,
  credentials: UpstreamCredentials,
  _deps: TransportDeps,
  hooks: SessionHooks,
): Transport {
  return new SSEClientTransport(new URL(server.url ?? ''), { requestInit: { headers: credentials.headers }, fetch: hooks.fetch });
}
