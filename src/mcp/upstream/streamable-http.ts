/**
 * Streamable HTTP upstreams (MCP 2025-03-26+), through our undici transport (streamable-http-client.ts); a config
 * server with no `transport` written falls back to legacy SSE on the same URL (fallback-transport.ts), and a session
 * that fell back once starts on SSE next time.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import { FallbackTransport } from './fallback-transport.js';
import { StreamableHttpClientTransport } from './streamable-http-client.js';
import type { SessionHooks, TransportDeps, UpstreamCredentials } from './upstream.js';

/** Servers found to speak only legacy SSE (by definition object: a changed server starts over). */
const fellBackToSse = new WeakSet<McpServerDefinition>();

export function createStreamableHttpTransport(
  server: McpServerDefinition,
  credentials: UpstreamCredentials,
  deps: TransportDeps,
  hooks: SessionHooks,
): Transport {
  const options = {
    url: new URL(server.url ?? ''),
    headers: credentials.headers,
    dispatcher: deps.dispatcher,
    maxMessageBytes: deps.maxMessageBytes,
    attribution: hooks.attribution,
  };
  if (server.sseFallback !== true) return new StreamableHttpClientTransport(options);
  return new FallbackTransport({
    ...options,
    fetch: hooks.fetch,
    initial: fellBackToSse.has(server) ? 'sse' : 'streamable-http',
    onFallback: () => fellBackToSse.add(server),
  });
}
