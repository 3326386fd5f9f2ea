/**
 * From a request's mcp tools to what the model is offered: open each tool's source, list every server in
 * parallel, apply `allowed_tools` and `require_approval`, and name each tool as an LLM function (the reverse
 * map of this request). Refusals (bad server_url, unknown server, egress) throw before anything is listed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Caller } from '../../auth/resolve-caller.js';
import { InvalidRequestError, McpToolListFailedError } from '../../http/errors.js';
import type { McpClientHeaderParser } from '../../mcp/gateway/client-header-parser.js';
import type { McpHub } from '../../mcp/hub/hub.js';
import { llmFunctionName } from '../../mcp/names.js';
import type { RequestSpend } from '../../spend/spend-types.js';
import { chatFunctionTool } from './function-tool.js';
import { hubToolSource, isProxyServerUrl, proxyScope, toolClientHeaders } from './hub-source.js';
import type { LoopEvent, LoopTool, LoopToolset, RemoteSourceFactory, ToolListing, ToolSource } from './loop-types.js';
import type { McpToolEntry } from './mcp-tool-spec.js';
import { isToolAllowed, needsApproval } from './tool-policy.js';
import type { ToolSchemas } from './tool-schemas.js';

export interface ToolSourceDeps {
  hub: McpHub;
  parseHeaders: McpClientHeaderParser;
  remote: RemoteSourceFactory;
  schemas: ToolSchemas;
}

export interface PrepareToolsOptions {
  requestHeaders: IncomingHttpHeaders;
  /** Whose permissions narrow `litellm_proxy` tools (auth/permissions.ts). */
  caller: Caller;
  /** The client's own function names: an MCP tool may not take one. */
  clientFunctionNames: ReadonlySet<string>;
  signal: AbortSignal;
  onEvent?: (event: LoopEvent) => void | Promise<void>;
  /** The LLM request's spend: tool calls through the hub add their cost to it (issue #7). */
  spend?: RequestSpend;
}

/** Lists every mcp tool's server; a server that cannot list is reported in `listings`, not thrown (see `assertListed`). */
export async function prepareLoopTools(
  entries: readonly McpToolEntry[],
  deps: ToolSourceDeps,
  options: PrepareToolsOptions,
): Promise<LoopToolset> {
  const sources = await openSources(entries, deps, options);
  const listed = await Promise.allSettled(sources.map((source) => source.listTools(options.signal)));
  const tools: LoopTool[] = [];
  const byFunctionName = new Map<string, LoopTool>();
  const listings: ToolListing[] = [];
  for (const [position, entry] of entries.entries()) {
    const outcome = listed[position];
    const { serverLabel } = entry.spec;
    if (outcome.status === 'rejected') {
      const error = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      listings.push({ serverLabel, error });
      await options.onEvent?.({ type: 'tools_list_failed', serverLabel, error });
      continue;
    }
    const allowed = outcome.value.filter((tool) => isToolAllowed(tool, entry.spec.allowedTools));
    listings.push({ serverLabel, tools: allowed });
    await options.onEvent?.({ type: 'tools_listed', serverLabel, tools: allowed });
    for (const tool of allowed) {
      const loopTool = toLoopTool(entry, tool, sources[position], deps.schemas);
      if (options.clientFunctionNames.has(loopTool.functionName) || byFunctionName.has(loopTool.functionName)) {
        throw new InvalidRequestError(
          `tools[${entry.index}]: tool "${tool.name}" of server_label "${serverLabel}" would be offered as function "${loopTool.functionName}", which another tool already uses.`,
          { param: `tools[${entry.index}]` },
        );
      }
      byFunctionName.set(loopTool.functionName, loopTool);
      tools.push(loopTool);
    }
  }
  const functions = tools.map((tool) => chatFunctionTool(tool.functionName, tool.description, tool.schema.parameters));
  return { tools, byFunctionName, functions, listings };
}

/** OpenAI's answer when a server cannot list its tools: 424 naming the server_label, before any model call. */
export function assertListed(toolset: LoopToolset, entries: readonly McpToolEntry[]): void {
  const failed = toolset.listings.find((listing): listing is Extract<ToolListing, { error: string }> => 'error' in listing);
  if (!failed) return;
  const index = entries.find((entry) => entry.spec.serverLabel === failed.serverLabel)?.index;
  throw new McpToolListFailedError(`Error retrieving tool list from MCP server '${failed.serverLabel}': ${failed.error}`, {
    param: index === undefined ? 'tools' : `tools[${index}]`,
  });
}

async function openSources(entries: readonly McpToolEntry[], deps: ToolSourceDeps, options: PrepareToolsOptions): Promise<ToolSource[]> {
  const opened = await Promise.allSettled(entries.map((entry) => openSource(entry, deps, options)));
  // The first refusal in `tools` order, whichever settled first.
  const refused = opened.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (refused) throw refused.reason;
  return opened.map((outcome) => (outcome as PromiseFulfilledResult<ToolSource>).value);
}

async function openSource(entry: McpToolEntry, deps: ToolSourceDeps, options: PrepareToolsOptions): Promise<ToolSource> {
  const { spec, index } = entry;
  if (isProxyServerUrl(spec.serverUrl)) {
    const scope = proxyScope(deps.hub, spec.serverUrl, `tools[${index}].server_url`, options.caller);
    return hubToolSource(deps.hub, scope, toolClientHeaders(deps.parseHeaders, options.requestHeaders, entry, scope), options.spend);
  }
  return deps.remote(
    {
      serverLabel: spec.serverLabel,
      serverUrl: spec.serverUrl,
      headers: spec.headers,
      ...(spec.authorization !== undefined ? { authorization: spec.authorization } : {}),
      param: `tools[${index}]`,
    },
    options.signal,
  );
}

function toLoopTool(entry: McpToolEntry, tool: McpTool, source: ToolSource, schemas: ToolSchemas): LoopTool {
  const { spec } = entry;
  const server = spec.serverDescription ? `Server ${spec.serverLabel}: ${spec.serverDescription}` : undefined;
  const description = [tool.description, server].filter((part) => part !== undefined && part !== '').join('\n\n');
  return {
    functionName: llmFunctionName(spec.serverLabel, tool.name),
    serverLabel: spec.serverLabel,
    name: tool.name,
    ...(description !== '' ? { description } : {}),
    inputSchema: tool.inputSchema,
    ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
    source,
    needsApproval: needsApproval(tool, spec.requireApproval),
    schema: schemas.prepare(tool.inputSchema),
  };
}
