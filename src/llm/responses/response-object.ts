/**
 * The Response object: request echo fields (with OpenAI's defaults), status and usage. Built the same way for the
 * stream snapshots and the non-streaming answer. MCP tool `headers` and `authorization` are never echoed or stored.
 */
import type { ResponseUsage, Tool } from 'openai/resources/responses/responses';
import { outputText } from './output-items.js';
import type { ResponsesRequest } from './request-schema.js';
import type { OutputItem, ResponseObject } from './response-types.js';

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseOutcome {
  status: ResponseStatus;
  output: OutputItem[];
  usage?: ResponseUsage;
  /** `max_tool_calls`: the tool loop stopped at `max_tool_calls` or its round limit (openai@6 types list only the first two). */
  incompleteReason?: 'max_output_tokens' | 'content_filter' | 'max_tool_calls';
  error?: { code: 'server_error' | 'rate_limit_exceeded'; message: string };
}

/** A response's status from the last model call's finish_reason (`length` → incomplete, `max_output_tokens`). */
export function statusFromFinish(finishReason: string | null): Pick<ResponseOutcome, 'status' | 'incompleteReason'> {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

/** Identity of one response, fixed when it starts. */
export interface ResponseIdentity {
  id: string;
  createdAt: number;
  request: ResponsesRequest;
  store: boolean;
  /** The key that created it (auth/permissions.ts ownerIdOf); only it (or an admin) may read it back. */
  ownerId: string | null;
}

export function buildResponse(identity: ResponseIdentity, outcome: ResponseOutcome): ResponseObject {
  const { request } = identity;
  const response: ResponseObject = {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: outcome.status,
    background: false,
    error: outcome.error ?? null,
    incomplete_details: outcome.incompleteReason
      ? ({ reason: outcome.incompleteReason } as ResponseObject['incomplete_details'])
      : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: request.model,
    output: outcome.output,
    output_text: outputText(outcome.output),
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: request.reasoning ?? null,
    store: identity.store,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' }, ...(request.text?.verbosity ? { verbosity: request.text.verbosity } : {}) },
    tool_choice: request.tool_choice ?? 'auto',
    tools: (request.tools ?? []).map(withoutSecrets),
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    metadata: request.metadata ?? {},
  };
  if (request.max_tool_calls !== undefined) response.max_tool_calls = request.max_tool_calls;
  if (request.user !== undefined) response.user = request.user;
  if (typeof request.safety_identifier === 'string') response.safety_identifier = request.safety_identifier;
  if (typeof request.prompt_cache_key === 'string') response.prompt_cache_key = request.prompt_cache_key;
  if (outcome.usage) response.usage = outcome.usage;
  if (outcome.status === 'completed') response.completed_at = Math.floor(Date.now() / 1000);
  return response;
}

/** OpenAI does not keep an MCP tool's `headers` or `authorization` (wire-formats.md §1.1); neither do we. */
function withoutSecrets(tool: Tool): Tool {
  if (tool.type !== 'mcp') return tool;
  const { headers: _headers, authorization: _authorization, ...rest } = tool;
  return rest;
}
