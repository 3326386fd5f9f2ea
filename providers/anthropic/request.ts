/**
 * Chat Completions request → Anthropic Messages request body (wire-formats.md §3.2). Pure. A field with no
 * Anthropic equivalent is rejected with `UnsupportedRequestError` unless its value is a no-op; nothing is clamped.
 */
import type {
  MessageCreateParamsBase,
  TextBlockParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletionTool, ChatCompletionToolChoiceOption } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../provider.js';
import { UnsupportedRequestError } from '../upstream-errors.js';
import { defaultMaxTokens } from './max-tokens.js';
import { toAnthropicConversation } from './request-messages.js';

/**
 * The Messages body we send. `temperature` and `top_p` are valid under the `anthropic-version: 2023-06-01` we pin,
 * but the SDK's own types (written for `2026-10-21`) dropped them.
 */
export type MessagesRequest = Omit<MessageCreateParamsBase, 'stream'> & { temperature?: number; top_p?: number };

interface UnsupportedParam {
  param: string;
  /** True for values that ask for nothing Anthropic would do differently (e.g. `n: 1`). */
  isNoOp(value: unknown): boolean;
  message: string;
}

const isNullish = (value: unknown): boolean => value === undefined || value === null;
const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/**
 * Chat fields Anthropic cannot honour. Bookkeeping fields that do not change the answer (`store`, `metadata`,
 * `service_tier`, `prompt_cache_key`, `safety_identifier`, `stream_options`) are not listed and are left out.
 */
const UNSUPPORTED_PARAMS: readonly UnsupportedParam[] = [
  { param: 'n', isNoOp: (v) => isNullish(v) || v === 1, message: 'Anthropic returns one choice; n must be 1.' },
  { param: 'logprobs', isNoOp: (v) => isNullish(v) || v === false, message: 'Anthropic returns no log probabilities.' },
  { param: 'top_logprobs', isNoOp: (v) => isNullish(v) || v === 0, message: 'Anthropic returns no log probabilities.' },
  { param: 'presence_penalty', isNoOp: (v) => isNullish(v) || v === 0, message: 'Anthropic has no presence penalty.' },
  { param: 'frequency_penalty', isNoOp: (v) => isNullish(v) || v === 0, message: 'No frequency penalty on Anthropic.' },
  { param: 'logit_bias', isNoOp: (v) => isNullish(v) || isEmptyObject(v), message: 'Anthropic has no logit bias.' },
  { param: 'seed', isNoOp: isNullish, message: 'Anthropic has no sampling seed.' },
  {
    param: 'response_format',
    isNoOp: (v) => isNullish(v) || (typeof v === 'object' && v !== null && 'type' in v && v.type === 'text'),
    message: 'JSON response formats are not supported for Anthropic; describe the format in the prompt or use a tool.',
  },
  { param: 'functions', isNoOp: isNullish, message: 'Use tools; functions is not supported for Anthropic.' },
  { param: 'function_call', isNoOp: isNullish, message: 'Use tool_choice; function_call is not supported.' },
  { param: 'audio', isNoOp: isNullish, message: 'Anthropic does not produce audio.' },
  {
    param: 'modalities',
    isNoOp: (v) => isNullish(v) || (Array.isArray(v) && v.every((m) => m === 'text')),
    message: 'Anthropic produces text only.',
  },
  { param: 'prediction', isNoOp: isNullish, message: 'Anthropic has no predicted outputs.' },
  { param: 'web_search_options', isNoOp: isNullish, message: 'Web search options are not supported for Anthropic.' },
  {
    param: 'reasoning_effort',
    isNoOp: (v) => isNullish(v) || v === 'none',
    message: 'reasoning_effort is not supported for Anthropic.',
  },
  { param: 'verbosity', isNoOp: isNullish, message: 'verbosity is not supported for Anthropic.' },
];

function rejectUnsupported(request: ChatRequest): void {
  for (const { param, isNoOp, message } of UNSUPPORTED_PARAMS) {
    if (!isNoOp(request[param])) throw new UnsupportedRequestError(param, message);
  }
  const temperature = request.temperature;
  if (typeof temperature === 'number' && temperature > 1) {
    throw new UnsupportedRequestError('temperature', `Anthropic accepts temperature from 0 to 1; got ${temperature}.`);
  }
}

function toInputSchema(parameters: Record<string, unknown> | undefined, param: string): Tool.InputSchema {
  if (parameters === undefined) return { type: 'object', properties: {} };
  if (parameters.type !== undefined && parameters.type !== 'object') {
    throw new UnsupportedRequestError(param, 'Anthropic tool parameters must be a JSON Schema of type object.');
  }
  return { ...parameters, type: 'object' };
}

function toTools(tools: readonly ChatCompletionTool[]): Tool[] {
  return tools.map((tool, index) => {
    if (tool.type !== 'function') {
      throw new UnsupportedRequestError(`tools[${index}]`, 'Anthropic accepts only function tools.');
    }
    const { name, description, parameters, strict } = tool.function;
    const out: Tool = { name, input_schema: toInputSchema(parameters, `tools[${index}].function.parameters`) };
    if (description !== undefined) out.description = description;
    if (typeof strict === 'boolean') out.strict = strict;
    return out;
  });
}

function toToolChoice(
  choice: ChatCompletionToolChoiceOption | undefined,
  parallelToolCalls: boolean | undefined,
): ToolChoice | undefined {
  const parallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallelToolCalls === false ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  if (choice.type === 'function') return { type: 'tool', name: choice.function.name, ...parallel };
  throw new UnsupportedRequestError('tool_choice', `Anthropic does not support tool_choice of type ${choice.type}.`);
}

/** One plain text block is sent as a string, anything else as blocks. */
function toSystem(blocks: TextBlockParam[]): string | TextBlockParam[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.length === 1 && !blocks[0].cache_control) return blocks[0].text;
  return blocks;
}

/** Builds the Messages body for `model` (the deployment's upstream model name). `stream` is set by the caller. */
export function toMessagesRequest(request: ChatRequest, model: string): MessagesRequest {
  rejectUnsupported(request);
  const { system, messages } = toAnthropicConversation(request.messages);
  const body: MessagesRequest = {
    model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens(model),
    messages,
  };
  const systemParam = toSystem(system);
  if (systemParam !== undefined) body.system = systemParam;
  if (request.tools && request.tools.length > 0) body.tools = toTools(request.tools);
  const toolChoice = toToolChoice(request.tool_choice, request.parallel_tool_calls);
  if (toolChoice && (body.tools || request.tool_choice !== undefined)) body.tool_choice = toolChoice;
  if (typeof request.stop === 'string') body.stop_sequences = [request.stop];
  else if (Array.isArray(request.stop)) body.stop_sequences = request.stop;
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  return body;
}
