/** Streamable HTTP upstreams (MCP 2025-03-26+), through our undici transport (streamable-http-client.ts). */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import { StreamableHttpClientTransport } from './streamable-http-client.js';
import type { SessionHooks, TransportDeps, UpstreamCredentials } from './upstream.js';

export function createStreamableHttpTransport(
  server: McpServerDefinition,
  credentials: UpstreamCredentials,
  deps: TransportDeps,
  hooks: SessionHooks,
): Transport {
  return new StreamableHttpClientTransport({
    url: new URL(server.url ?? ''),
    headers: credentials.headers,
    dispatcher: deps.dispatcher,
    maxMessageBytes: deps.maxMessageBytes,
    attribution: hooks.attribution,
  });
}
