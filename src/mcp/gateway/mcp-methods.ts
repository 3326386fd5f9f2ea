/**
 * The gateway's MCP methods, each a function of (params, environment) that delegates to the hub. Registered
 * on every downstream session's SDK `Server`, and called directly for one-shot (sessionless) POSTs, so
 * both paths answer identically.
 */
import type {
  CallToolRequest,
  CompleteRequest,
  GetPromptRequest,
  LoggingLevel,
  Notification,
  Result,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpHub } from '../hub/hub.js';
import type { McpRequestContext, McpScope, ServerFailure } from '../hub/scope.js';
import { pageOf } from './pagination.js';

export interface MethodEnvironment {
  hub: McpHub;
  scope: McpScope;
  ctx: McpRequestContext;
  /** Sends a notification on the current request's stream (progress); absent for one-shot calls. */
  notify?: (notification: Notification) => Promise<void>;
  /** Subscriptions of the downstream session, for `resources/updated` routing. */
  subscriptions?: Set<string>;
}

type Params = Record<string, unknown> | undefined;
export type MethodHandler = (params: Params, env: MethodEnvironment) => Promise<Result>;

/** Failures of some servers in an aggregate list travel in `_meta`, so they are reported, not hidden. */
const FAILURES_META = 'gatehouse/unavailable_servers';

function withFailures<T extends Result>(result: T, failures: ServerFailure[]): T {
  return failures.length === 0 ? result : { ...result, _meta: { ...result._meta, [FAILURES_META]: failures } };
}

function cursorOf(params: Params): string | undefined {
  return typeof params?.cursor === 'string' ? params.cursor : undefined;
}

export const MCP_METHODS: Readonly<Record<string, MethodHandler>> = {
  'ping': async () => ({}),

  'tools/list': async (params, { hub, scope, ctx }) => {
    const { items, failures } = await hub.listTools(scope, ctx);
    const page = pageOf(items, cursorOf(params));
    return withFailures({ tools: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, failures);
  },

  'tools/call': async (params, { hub, scope, ctx, notify }) => {
    const request = params as CallToolRequest['params'];
    const token = request._meta?.progressToken;
    const onprogress =
      token !== undefined && notify
        ? (progress: { progress: number; total?: number; message?: string }) =>
            void notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } })
        : undefined;
    return hub.callTool(scope, ctx, request, onprogress);
  },

  'prompts/list': async (params, { hub, scope, ctx }) => {
    const { items, failures } = await hub.listPrompts(scope, ctx);
    const page = pageOf(items, cursorOf(params));
    return withFailures({ prompts: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, failures);
  },

  'prompts/get': async (params, { hub, scope, ctx }) => hub.getPrompt(scope, ctx, params as GetPromptRequest['params']),

  'resources/list': async (params, { hub, scope, ctx }) => {
    const { items, failures } = await hub.listResources(scope, ctx);
    const page = pageOf(items, cursorOf(params));
    return withFailures({ resources: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, failures);
  },

  'resources/templates/list': async (params, { hub, scope, ctx }) => {
    const { items, failures } = await hub.listResourceTemplates(scope, ctx);
    const page = pageOf(items, cursorOf(params));
    return withFailures({ resourceTemplates: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, failures);
  },

  'resources/read': async (params, { hub, scope, ctx }) => hub.readResource(scope, ctx, String(params?.uri ?? '')),

  'resources/subscribe': async (params, { hub, scope, ctx, subscriptions }) => {
    const uri = String(params?.uri ?? '');
    await hub.subscribe(scope, ctx, uri);
    subscriptions?.add(uri);
    return {};
  },

  'resources/unsubscribe': async (params, { hub, scope, ctx, subscriptions }) => {
    const uri = String(params?.uri ?? '');
    await hub.unsubscribe(scope, ctx, uri);
    subscriptions?.delete(uri);
    return {};
  },

  'completion/complete': async (params, { hub, scope, ctx }) => hub.complete(scope, ctx, params as CompleteRequest['params']),

  'logging/setLevel': async (params, { hub, scope, ctx }) => {
    await hub.setLoggingLevel(scope, ctx, params?.level as LoggingLevel);
    return {};
  },
};
