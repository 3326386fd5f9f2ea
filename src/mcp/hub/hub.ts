/**
 * The tool hub: every path that lists or calls an upstream MCP capability goes through here — the /mcp
 * endpoints, the REST mirrors and (issue #4) the LLM tool loop. It aggregates over a scope, routes names
 * and URIs back to their server, applies the server's filters, and turns upstream failures into errors
 * that name the server (or, for tool calls, into `isError` results the model can read).
 */
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import {
  CallToolResultSchema,
  CompleteResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  ReadResourceResultSchema,
  type CallToolRequest,
  type CallToolResult,
  type CompleteRequest,
  type CompleteResult,
  type GetPromptRequest,
  type GetPromptResult,
  type LoggingLevel,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { Hooks } from '../../hooks/hook-runner.js';
import { GatehouseError, McpNameNotFoundError, McpOAuthRequiredError, McpServerNotFoundError, McpUpstreamError, McpUpstreamTimeoutError } from '../../http/errors.js';
import { isInteractiveOAuth } from '../credentials/oauth2-flow.js';
import type { OAuth2TokenCache } from '../credentials/oauth2-token-cache.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { McpServerRegistry } from '../server-registry.js';
import type { CatalogItems, CatalogKind } from './catalog-cache.js';
import { assertParamsAllowed, assertToolAllowed, displayName, routeName, toolVisible } from './name-routing.js';
import type { McpRequestContext, McpScope, ServerFailure } from './scope.js';
import { ToolCallSpend, type ToolCallInFlight } from './tool-call-spend.js';
import type { UpstreamCallOptions, UpstreamClient } from './upstream-client.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface HubTimeouts {
  callMs: number;
  listMs: number;
}

export interface Listed<T> {
  items: T[];
  failures: ServerFailure[];
}

export class McpHub {
  private readonly subscriptions = new Map<string, number>();

  constructor(
    readonly registry: McpServerRegistry,
    private readonly pool: UpstreamPool,
    private readonly tokens: OAuth2TokenCache,
    private readonly timeouts: HubTimeouts,
    /** Budgets, hooks and pricing around every tool call (issue #7); without it calls are neither gated nor priced. */
    private readonly calls = new ToolCallSpend({ hooks: new Hooks(), budgets: null }),
  ) {}

  listTools(scope: McpScope, ctx: McpRequestContext): Promise<Listed<Tool>> {
    return this.aggregate(scope, ctx, 'tools', (server, tool) =>
      toolVisible(this.registry.names, scope, server, tool.name) ? { ...tool, name: this.show(scope, server, tool.name) } : undefined,
    );
  }

  listPrompts(scope: McpScope, ctx: McpRequestContext): Promise<Listed<Prompt>> {
    return this.aggregate(scope, ctx, 'prompts', (server, prompt) => ({ ...prompt, name: this.show(scope, server, prompt.name) }));
  }

  listResources(scope: McpScope, ctx: McpRequestContext): Promise<Listed<Resource>> {
    return this.aggregate(scope, ctx, 'resources', (server, resource) => ({ ...resource, name: this.show(scope, server, resource.name) }));
  }

  listResourceTemplates(scope: McpScope, ctx: McpRequestContext): Promise<Listed<ResourceTemplate>> {
    return this.aggregate(scope, ctx, 'resourceTemplates', (server, template) => ({
      ...template,
      name: this.show(scope, server, template.name),
    }));
  }

  /**
   * Calls a tool. Refusals (unknown, not allowed) throw; a failure of the upstream itself (unreachable,
   * crashed, timed out) comes back as an `isError` result naming the server, so a model can react to it.
   */
  async callTool(scope: McpScope, ctx: McpRequestContext, params: CallToolRequest['params'], onprogress?: UpstreamCallOptions['onprogress']): Promise<CallToolResult> {
    const routed = await this.route(scope, ctx, 'tool', params.name);
    assertToolAllowed(this.registry.names, scope, routed.server, routed.name);
    assertParamsAllowed(routed.server, routed.name, params.arguments);
    // Awaited only when a gate or hook applies (tool-call-spend.ts), so the plain path keeps its ticks.
    const begun = this.calls.begin(scope, ctx, routed.server, routed.name, params.arguments);
    const call = begun instanceof Promise ? await begun : begun;
    if (call.blocked !== undefined) return call.blocked;
    if (call.slot === undefined) return this.callUpstream(routed.server, routed.name, ctx, params, call, onprogress);
    try {
      return await this.callUpstream(routed.server, routed.name, ctx, params, call, onprogress);
    } finally {
      // Answered, failed or cancelled: the caller's max_parallel_requests slot is free again.
      this.calls.release(call);
    }
  }

  private async callUpstream(
    server: McpServerDefinition,
    name: string,
    ctx: McpRequestContext,
    params: CallToolRequest['params'],
    call: ToolCallInFlight,
    onprogress: UpstreamCallOptions['onprogress'],
  ): Promise<CallToolResult> {
    let result: CallToolResult;
    let answered = true;
    try {
      result = (await this.withClient(server, ctx, (client) =>
        client.request(
          { method: 'tools/call', params: { ...params, name, arguments: call.arguments } },
          CallToolResultSchema,
          this.options(ctx, this.timeouts.callMs, onprogress),
        ),
      )) as CallToolResult;
    } catch (error) {
      if (!(error instanceof McpUpstreamError || error instanceof McpUpstreamTimeoutError)) throw error;
      result = { content: [{ type: 'text', text: error.message }], isError: true };
      answered = false;
    }
    const finished = this.calls.finish(call, result, answered);
    return finished instanceof Promise ? await finished : finished;
  }

  async getPrompt(scope: McpScope, ctx: McpRequestContext, params: GetPromptRequest['params']): Promise<GetPromptResult> {
    const routed = await this.route(scope, ctx, 'prompt', params.name);
    return this.withClient(routed.server, ctx, (client) =>
      client.request({ method: 'prompts/get', params: { ...params, name: routed.name } }, GetPromptResultSchema, this.options(ctx, this.timeouts.callMs)),
    ) as Promise<GetPromptResult>;
  }

  async readResource(scope: McpScope, ctx: McpRequestContext, uri: string): Promise<ReadResourceResult> {
    const server = await this.ownerOfUri(scope, ctx, uri);
    return this.withClient(server, ctx, (client) =>
      client.request({ method: 'resources/read', params: { uri } }, ReadResourceResultSchema, this.options(ctx, this.timeouts.callMs)),
    ) as Promise<ReadResourceResult>;
  }

  /** Subscribes upstream once per (upstream session, URI), however many downstream sessions subscribe. */
  async subscribe(scope: McpScope, ctx: McpRequestContext, uri: string): Promise<McpServerDefinition> {
    const server = await this.ownerOfUri(scope, ctx, uri);
    await this.withClient(server, ctx, async (client) => {
      const key = `${client.poolKey}|${uri}`;
      const count = this.subscriptions.get(key) ?? 0;
      if (count === 0) {
        await client.request({ method: 'resources/subscribe', params: { uri } }, EmptyResultSchema, this.options(ctx, this.timeouts.callMs));
      }
      this.subscriptions.set(key, count + 1);
    });
    return server;
  }

  async unsubscribe(scope: McpScope, ctx: McpRequestContext, uri: string): Promise<void> {
    const server = await this.ownerOfUri(scope, ctx, uri);
    await this.withClient(server, ctx, async (client) => {
      const key = `${client.poolKey}|${uri}`;
      const count = this.subscriptions.get(key) ?? 0;
      if (count <= 1) {
        this.subscriptions.delete(key);
        await client.request({ method: 'resources/unsubscribe', params: { uri } }, EmptyResultSchema, this.options(ctx, this.timeouts.callMs));
      } else {
        this.subscriptions.set(key, count - 1);
      }
    });
  }

  async complete(scope: McpScope, ctx: McpRequestContext, params: CompleteRequest['params']): Promise<CompleteResult> {
    const ref = params.ref;
    const routed =
      ref.type === 'ref/prompt'
        ? await this.route(scope, ctx, 'prompt', ref.name)
        : { server: await this.ownerOfUri(scope, ctx, ref.uri), name: undefined };
    const upstreamRef = ref.type === 'ref/prompt' ? { ...ref, name: routed.name } : ref;
    return this.withClient(routed.server, ctx, (client) =>
      client.request({ method: 'completion/complete', params: { ...params, ref: upstreamRef } }, CompleteResultSchema, this.options(ctx, this.timeouts.callMs)),
    ) as Promise<CompleteResult>;
  }

  /** Forwards the level to every server in scope that supports logging. */
  async setLoggingLevel(scope: McpScope, ctx: McpRequestContext, level: LoggingLevel): Promise<void> {
    await Promise.all(
      scope.servers.map((server) =>
        this.withClient(server, ctx, async (client) => {
          const { capabilities } = await client.describe(this.options(ctx, this.timeouts.listMs));
          if (capabilities.logging === undefined) return;
          await client.request({ method: 'logging/setLevel', params: { level } }, EmptyResultSchema, this.options(ctx, this.timeouts.callMs));
        }),
      ),
    );
  }

  /** `initialize` instructions: configured ones, else (one-server scopes) the upstream's own. */
  async instructions(scope: McpScope, ctx: McpRequestContext): Promise<string | undefined> {
    const parts: string[] = [];
    for (const server of scope.servers) {
      let text = server.instructions;
      if (text === undefined && scope.servers.length === 1) {
        text = await this.withClient(server, ctx, async (client) => (await client.describe(this.options(ctx, this.timeouts.listMs))).instructions).catch(
          () => undefined,
        );
      }
      if (text) parts.push(scope.servers.length === 1 ? text : `[${server.prefix}]\n${text}`);
    }
    return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
  }

  private show(scope: McpScope, server: McpServerDefinition, name: string): string {
    return displayName(this.registry.names, scope, server, name);
  }

  private async aggregate<K extends CatalogKind, T>(
    scope: McpScope,
    ctx: McpRequestContext,
    kind: K,
    map: (server: McpServerDefinition, item: CatalogItems[K]) => T | undefined,
  ): Promise<Listed<T>> {
    const results = await Promise.allSettled(
      scope.servers.map((server) => this.withClient(server, ctx, (client) => client.catalog.list(kind, this.options(ctx, this.timeouts.listMs)))),
    );
    const items: T[] = [];
    const failures: ServerFailure[] = [];
    let broken = 0;
    results.forEach((result, index) => {
      const server = scope.servers[index];
      if (result.status === 'rejected') {
        failures.push({ server: server.name, message: failureMessage(server, result.reason) });
        // A server waiting for the user to sign in (interactive OAuth) is left out and reported, not broken.
        if (!(result.reason instanceof McpOAuthRequiredError)) broken++;
        return;
      }
      for (const item of result.value) {
        const mapped = map(server, item);
        if (mapped !== undefined) items.push(mapped);
      }
    });
    // Every server failed: that is an error, not an empty list.
    if (scope.servers.length > 0 && broken === scope.servers.length) {
      throw new McpUpstreamError(failures.map((failure) => failure.message).join('; '));
    }
    return { items, failures };
  }

  private route(scope: McpScope, ctx: McpRequestContext, kind: 'tool' | 'prompt', name: string) {
    const catalogKind = kind === 'tool' ? 'tools' : 'prompts';
    return routeName(this.registry.names, scope, kind, name, async (server, candidate) => {
      const items = await this.withClient(server, ctx, (client) => client.catalog.list(catalogKind, this.options(ctx, this.timeouts.listMs)));
      return items.some((item) => item.name === candidate);
    });
  }

  /** The server that lists this URI, else whose template matches it, else the only server in scope. */
  private async ownerOfUri(scope: McpScope, ctx: McpRequestContext, uri: string): Promise<McpServerDefinition> {
    if (scope.servers.length === 1) return scope.servers[0];
    for (const kind of ['resources', 'resourceTemplates'] as const) {
      for (const server of scope.servers) {
        const items = await this.withClient(server, ctx, (client) => client.catalog.list(kind, this.options(ctx, this.timeouts.listMs))).catch(
          () => [] as readonly (Resource | ResourceTemplate)[],
        );
        const owns = items.some((item) => ('uri' in item ? item.uri === uri : new UriTemplate(item.uriTemplate).match(uri) !== null));
        if (owns) return server;
      }
    }
    throw new McpNameNotFoundError(`No server in scope has the resource "${uri}".`, { param: 'uri' });
  }

  /**
   * Health check (admin/health-check.ts): a `ping` on the pooled session for requests without client headers,
   * so it reuses the session requests use and never initialises one of its own.
   */
  async ping(server: McpServerDefinition, ctx: McpRequestContext, timeoutMs: number): Promise<void> {
    await this.withClient(server, ctx, (client) => client.request({ method: 'ping' }, EmptyResultSchema, this.options(ctx, timeoutMs)));
  }

  /**
   * Runs `fn` on the pooled session; a client-credentials server answering 401 gets a fresh token and one more
   * try; an interactive-OAuth one means the user's token is no longer good: the user must authorize again.
   */
  private async withClient<T>(scoped: McpServerDefinition, ctx: McpRequestContext, fn: (client: UpstreamClient) => Promise<T>): Promise<T> {
    // A scope (a long-lived session's) may hold a definition the admin API has since updated or deleted.
    const server = this.registry.get(scoped.id);
    if (server === undefined) throw new McpServerNotFoundError(`MCP server "${scoped.name}" no longer exists.`);
    const client = await this.pool.clientFor(server, ctx.headers, ctx.signal);
    try {
      return await fn(client);
    } catch (error) {
      if (server.auth.type !== 'oauth2' || !isUnauthorized(error)) throw error;
      if (isInteractiveOAuth(server)) {
        await this.pool.drop(client);
        throw new McpOAuthRequiredError(`MCP server "${server.name}" refused the user's OAuth token (401): authorize again through its own endpoint.`, { cause: error });
      }
      this.tokens.invalidate(server.id);
      await this.pool.drop(client);
      return fn(await this.pool.clientFor(server, ctx.headers, ctx.signal));
    }
  }

  private options(ctx: McpRequestContext, timeoutMs: number, onprogress?: UpstreamCallOptions['onprogress']): UpstreamCallOptions {
    return { signal: ctx.signal, timeoutMs, call: ctx.call, onprogress };
  }
}

function failureMessage(server: McpServerDefinition, error: unknown): string {
  if (error instanceof GatehouseError) return error.message;
  return `MCP server "${server.name}" failed: ${error instanceof Error ? error.message : String(error)}`;
}

function isUnauthorized(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ((current instanceof StreamableHTTPError || current instanceof SseError) && current.code === 401) return true;
  }
  return false;
}
