/** Streamable HTTP upstreams (MCP 2025-03-26+), through the SDK's client transport. */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { SessionHooks, TransportDeps, UpstreamCredentials } from './upstream.js';

export function createStreamableHttpTransport(
  server: McpServerDefinition,
  credentials: UpstreamCredentials,
  _deps: TransportDeps,
  hooks: SessionHooks,
): Transport {
  // The SDK's own reconnection (GET + Last-Event-ID after a dropped stream, SEP-1699 polling) stays on.
  return new StreamableHTTPClientTransport(new URL(server.url ?? ''), {
    requestInit: { headers: credentials.headers },
    fetch: hooks.fetch,
  });
}
