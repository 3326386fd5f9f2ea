/**
 * Streamable HTTP upstreams (MCP 2025-03-26+), through our undici transport (streamable-http-client.ts); a config
 * server with no `transport` written falls back to legacy SSE on the same URL (fallback-transport.ts). Each new
 * upstream session tries Streamable HTTP first (sessions are pooled, so that is rare), so a server that moves from
 * SSE to Streamable HTTP is picked up without a restart.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import { FallbackTransport } from './fallback-transport.js';
import { StreamableHttpClientTransport } from './streamable-http-client.js';
import type { SessionHooks, TransportDeps, UpstreamCredentials } from './upstream.js';

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
  return new FallbackTransport({ ...options, fetch: hooks.fetch, initial: 'streamable-http' });
}
