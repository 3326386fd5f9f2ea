/**
 * The body each native Responses round sends upstream: the client's request as sent (unknown fields included) with
 * the conversation as `input`, mcp tools swapped for function tools, `store: false` (the stored conversation is the
 * proxy's: the upstream gets the full input every round) and no `previous_response_id`.
 */
import type { ResponsesBody } from '../../../providers/provider.js';
import type { LoopToolset } from '../tool-loop/index.js';
import { isMcpTool } from '../tool-loop/index.js';
import type { JsonObject } from './field-reader.js';
import type { NativeItem } from './native-input.js';
import type { ResponsesRequest } from './request-schema.js';

/** Fields the proxy answers itself; everything else goes upstream as the client sent it. */
const PROXY_FIELDS = ['input', 'tools', 'tool_choice', 'previous_response_id', 'store', 'stream', 'stream_options'] as const;

export interface NativeBody {
  /** The request without the per-round fields. */
  base: ResponsesBody;
  /** The client's own tools (everything but mcp) then the mcp tools as functions. */
  tools: unknown[];
  /** The first round's choice (an mcp choice already turned into a function choice). */
  toolChoice: unknown;
  streamOptions?: unknown;
}

export function nativeBody(request: ResponsesRequest, toolset: LoopToolset, mcpChoice: JsonObject | undefined): NativeBody {
  const base: ResponsesBody = { ...request, store: false };
  for (const field of PROXY_FIELDS) if (field !== 'store') delete base[field];
  // With `store: false` a reasoning model's reasoning can only be carried to the next round encrypted.
  if (request.reasoning !== undefined && request.reasoning !== null) {
    const include = new Set(request.include ?? []);
    include.add('reasoning.encrypted_content');
    base.include = [...include];
  }
  const functions = toolset.tools.map((tool) => ({
    type: 'function',
    name: tool.functionName,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    parameters: tool.schema.parameters,
    // MCP schemas are rarely strict-compatible; OpenAI would refuse them under the Responses default (true).
    strict: false,
  }));
  const tools = [...(request.tools ?? []).filter((tool) => !isMcpTool(tool)), ...functions];
  return {
    base,
    tools,
    toolChoice: mcpChoice ?? request.tool_choice,
    ...(request.stream_options !== undefined && request.stream_options !== null ? { streamOptions: request.stream_options } : {}),
  };
}

/** One round's body: the accumulated input; a forced tool choice applies to the first round only. */
export function roundBody(body: NativeBody, input: readonly NativeItem[], round: number, streaming: boolean): ResponsesBody {
  const request: ResponsesBody = { ...body.base, input };
  if (body.tools.length > 0) {
    request.tools = body.tools;
    const choice = body.toolChoice;
    const forced = choice === 'required' || (typeof choice === 'object' && choice !== null);
    if (choice !== undefined) request.tool_choice = round > 1 && forced ? 'auto' : choice;
  }
  if (streaming && body.streamOptions !== undefined) request.stream_options = body.streamOptions;
  return request;
}
