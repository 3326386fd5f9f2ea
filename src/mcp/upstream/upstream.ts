/**
 * How the hub reaches an upstream: one entry per transport kind, whose factory turns a server definition and
 * the resolved credentials into an SDK `Transport`. The hub reads the factory and the transport's properties
 * from this table and never switches on the kind itself.
 */
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition, McpTransportKind } from '../server-definition.js';
import type { Dispatcher } from 'undici';
import type { OpenApiSpecs } from '../../openapi/spec-registry.js';
import type { ChildProcessRegistry } from './child-process-registry.js';
import { createOpenApiTransport } from './openapi.js';
import { createSseTransport } from './sse.js';
import { createStdioTransport } from './stdio.js';
import { createStreamableHttpTransport } from './streamable-http.js';
import type { StreamAttribution } from './stream-attribution.js';

export interface UpstreamCredentials {
  /** Headers for HTTP transports (auth, static and forwarded headers). */
  headers: Record<string, string>;
  /** Environment for stdio children. */
  env: Record<string, string>;
}

export interface TransportDeps {
  children: ChildProcessRegistry;
  /** Receives stderr lines of stdio children (logged at debug). */
  onStderr: (server: McpServerDefinition, line: string) => void;
  /** Streamable HTTP upstreams share this dispatcher (one keep-alive pool per origin). */
  dispatcher: Dispatcher;
  /** Bound on one upstream message (a JSON body or an SSE event). */
  maxMessageBytes: number;
  /** The loaded specs of OpenAPI servers (one tool set per server, shared by its pooled clients). */
  openapi: OpenApiSpecs;
}

/**
 * Per-session hooks. The Streamable HTTP transport strips the call marker and notes server messages itself
 * (`attribution`); the legacy SSE transport sends through `fetch`, which strips the marker (stream-attribution.ts).
 */
export interface SessionHooks {
  fetch: FetchLike;
  attribution: StreamAttribution;
}

export type UpstreamTransportFactory = (
  server: McpServerDefinition,
  credentials: UpstreamCredentials,
  deps: TransportDeps,
  hooks: SessionHooks,
) => Transport;

export interface UpstreamTransport {
  create: UpstreamTransportFactory;
  /**
   * The transport takes the per-call marker (stream-attribution.ts) out of a request before it leaves the
   * proxy, so the hub may mark requests sent through it; through any other transport the marker would reach
   * the upstream.
   */
  stripsCallMarker: boolean;
}

export const UPSTREAM_TRANSPORTS: Readonly<Record<McpTransportKind, UpstreamTransport>> = {
  http: { create: createStreamableHttpTransport, stripsCallMarker: true },
  sse: { create: createSseTransport, stripsCallMarker: true },
  stdio: { create: createStdioTransport, stripsCallMarker: false },
  openapi: { create: createOpenApiTransport, stripsCallMarker: false },
};
