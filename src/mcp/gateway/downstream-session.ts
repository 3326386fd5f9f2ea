/**
 * One downstream MCP session: an SDK low-level `Server` scoped to the caller's servers, on its own Streamable
 * HTTP transport, delegating every method to the hub through MCP_METHODS. Cheap to create; the upstream
 * sessions behind it are shared through the hub's pool.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListRootsResultSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type ClientCapabilities,
  type Notification,
  type Request,
  type Result,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { ZodType } from 'zod';
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import { GATEHOUSE_VERSION } from '../../version.js';
import type { DownstreamCall } from '../hub/downstream-call.js';
import type { McpHub } from '../hub/hub.js';
import type { McpScope } from '../hub/scope.js';
import { toMcpError } from './jsonrpc-errors.js';
import { DirectCalls } from './direct-calls.js';
import { SessionEventStore } from './session-event-store.js';
import { MCP_METHODS } from './mcp-methods.js';

const HANDLED = [
  CallToolRequestSchema,
  ListToolsRequestSchema,
  ListPromptsRequestSchema,
  GetPromptRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  CompleteRequestSchema,
  SetLevelRequestSchema,
] as const;

/** Sent as the SSE `retry:` field: how long a client waits before resuming a dropped stream. */
export const SSE_RETRY_MS = 1_000;

/** How the answer to each relayed server-to-client request is checked. */
export const RELAYED_RESULTS: Readonly<Record<string, ZodType>> = {
  'sampling/createMessage': CreateMessageResultSchema,
  'elicitation/create': ElicitResultSchema,
  'roots/list': ListRootsResultSchema,
};

const CAPABILITY_OF: Readonly<Record<string, keyof ClientCapabilities>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export interface DownstreamSessionOptions {
  hub: McpHub;
  scope: McpScope;
  /** Identifies the endpoint (and scope) the session was opened on. */
  scopeKey: string;
  instructions?: string;
  parseHeaders: (headers: IncomingHttpHeaders) => McpClientHeaders;
  onInitialized: (session: DownstreamSession) => void;
  onClosed: (session: DownstreamSession) => void;
}

/** Streamable HTTP for current clients; the legacy HTTP+SSE transport (2024-11-05) for old ones. */
export type DownstreamTransport =
  | { kind: 'streamable'; transport: StreamableHTTPServerTransport }
  | { kind: 'legacy-sse'; transport: SSEServerTransport };

export class DownstreamSession {
  readonly server: Server;
  readonly downstream: DownstreamTransport;
  readonly subscriptions = new Set<string>();
  /** `tools/call` requests served without the SDK transport (direct-tool-call.ts). */
  readonly direct = new DirectCalls();
  lastSeen = Date.now();
  /** Set from the `initialize` request (Streamable HTTP sessions). */
  protocolVersion: string | undefined;

  /** A Streamable HTTP session; it is registered (onInitialized) once its `initialize` succeeds. */
  static streamable(options: DownstreamSessionOptions): DownstreamSession {
    let session: DownstreamSession | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new SessionEventStore(),
      retryInterval: SSE_RETRY_MS,
      onsessioninitialized: () => session && options.onInitialized(session),
      onsessionclosed: () => session && options.onClosed(session),
    });
    session = new DownstreamSession(options, { kind: 'streamable', transport });
    return session;
  }

  /** A legacy SSE session on an open GET response; messages are POSTed to `messagesPath?sessionId=…`. */
  static legacySse(options: DownstreamSessionOptions, messagesPath: string, res: ServerResponse): DownstreamSession {
    return new DownstreamSession(options, { kind: 'legacy-sse', transport: new SSEServerTransport(messagesPath, res) });
  }

  private constructor(
    readonly options: DownstreamSessionOptions,
    downstream: DownstreamTransport,
  ) {
    this.downstream = downstream;
    this.server = new Server(
      { name: 'gatehouse', version: GATEHOUSE_VERSION },
      {
        capabilities: {
          tools: { listChanged: true },
          prompts: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          logging: {},
          completions: {},
        },
        instructions: options.instructions,
      },
    );
    for (const schema of HANDLED) {
      const method = schema.shape.method.value;
      this.server.setRequestHandler(schema, (request, extra) =>
        this.run(method, request.params as Record<string, unknown> | undefined, {
          headers: this.headersOf(extra),
          signal: extra.signal,
          call: this.callOf(extra),
          notify: (notification) => extra.sendNotification(notification as ServerNotification),
        }),
      );
    }
    this.server.onclose = () => {
      this.direct.closeAll();
      options.onClosed(this);
    };
  }

  /** Runs one MCP method for this session (from the SDK `Server`, or directly: direct-tool-call.ts). */
  async run(
    method: string,
    params: Record<string, unknown> | undefined,
    request: { headers: McpClientHeaders; signal: AbortSignal; call: DownstreamCall; notify: (notification: Notification) => Promise<void> },
  ): Promise<Result> {
    this.lastSeen = Date.now();
    try {
      return await MCP_METHODS[method](params, {
        hub: this.options.hub,
        scope: this.options.scope,
        ctx: { headers: request.headers, signal: request.signal, call: request.call },
        notify: request.notify,
        subscriptions: this.subscriptions,
      });
    } catch (error) {
      throw toMcpError(error);
    }
  }

  /** Whether the client declared the capability a relayed server-to-client request needs. */
  supports(method: string): boolean {
    const capability = CAPABILITY_OF[method];
    return capability !== undefined && this.server.getClientCapabilities()?.[capability] !== undefined;
  }

  get id(): string | undefined {
    return this.downstream.transport.sessionId;
  }

  async start(): Promise<void> {
    await this.server.connect(this.downstream.transport);
  }

  async close(): Promise<void> {
    this.direct.closeAll();
    await this.server.close().catch(() => undefined);
  }

  private headersOf(extra: RequestHandlerExtra<ServerRequest, ServerNotification>): McpClientHeaders {
    return this.options.parseHeaders((extra.requestInfo?.headers ?? {}) as IncomingHttpHeaders);
  }

  /** How upstream server-to-client traffic reaches this client while one of its requests is in flight. */
  private callOf(extra: RequestHandlerExtra<ServerRequest, ServerNotification>): DownstreamCall {
    return {
      sendRequest: async (request: Request, signal: AbortSignal) =>
        (await extra.sendRequest(request as ServerRequest, RELAYED_RESULTS[request.method] ?? CreateMessageResultSchema, {
          signal,
        })) as Result,
      sendNotification: (notification: Notification) => extra.sendNotification(notification as ServerNotification),
      closeStream: () => extra.closeSSEStream?.(),
      supports: (method: string) => this.supports(method),
    };
  }
}
