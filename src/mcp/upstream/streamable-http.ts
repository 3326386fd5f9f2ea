/** Streamable HTTP upstreams (MCP 2025-03-26+), through the SDK's client transport. */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { UpstreamCredentials } from './upstream.js';

export function createStreamableHttpTransport(server: McpServerDefinition, credentials: UpstreamCredentials): Transport {
  return new StreamableHTTPClientTransport(new URL(server.url ?? ''), {
    requestInit: { headers: credentials.headers },
    // The hub retries once itself on an expired session; the SDK's own reconnect loop would hide failures.
    reconnectionOptions: { initialReconnectionDelay: 1000, maxReconnectionDelay: 30_000, reconnectionDelayGrowFactor: 1.5, maxRetries: 0 },
  });
}
