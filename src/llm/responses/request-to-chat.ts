/**
 * A Responses create request → the canonical chat request (wire-formats.md §1.6), given the conversation already
 * turned into messages. Features a chat upstream cannot honour are refused with a 400 naming the field, never
 * silently dropped. Streaming is the tool loop's to set (it streams every round and asks for usage).
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../../../providers/index.js';
import { invalid, readObject, readOptionalString, readString } from './field-reader.js';
import type { ResponsesRequest } from './request-schema.js';
import { toChatToolChoice, type SplitTools } from './tools-to-chat.js';


/**
 * Refuses what this proxy does not implement: background responses and conversations anywhere (the proxy owns the
 * stored conversation), and on a chat upstream also what chat cannot express (stored prompts, truncation, logprobs).
 */
export function rejectUnsupported(request: ResponsesRequest, native = false): void {
  if (request.background === true) throw invalid('background', 'background responses are not supported by this proxy');
  if (request.conversation !== undefined && request.conversation !== null) {
    throw invalid('conversation', 'conversations are not supported by this proxy; use previous_response_id');
  }
  if (native) return;
  if (request.prompt !== undefined && request.prompt !== null) {
    throw invalid('prompt', 'stored prompts are not supported by this proxy');
  }
  if (request.truncation === 'auto') {
    throw invalid('truncation', "the proxy does not truncate context; use 'disabled'");
  }
  if (typeof request.top_logprobs === 'number' && request.top_logprobs > 0) {
    throw invalid('top_logprobs', 'log probabilities are not supported by this proxy');
  }
}

export function toChatRequest(
  request: ResponsesRequest,
  messages: ChatCompletionMessageParam[],
  tools: SplitTools,
): ChatRequest {
  const chat: ChatRequest = { model: request.model, messages };
  // Fields that mean the same in both APIs, copied when set.
  if (typeof request.temperature === 'number') chat.temperature = request.temperature;
  if (typeof request.top_p === 'number') chat.top_p = request.top_p;
  if (request.user !== undefined) chat.user = request.user;
  if (request.safety_identifier) chat.safety_identifier = request.safety_identifier;
  if (request.prompt_cache_key) chat.prompt_cache_key = request.prompt_cache_key;
  if (request.service_tier) chat.service_tier = request.service_tier;
  if (typeof request.max_output_tokens === 'number') chat.max_completion_tokens = request.max_output_tokens;
  if (tools.functions.length > 0) {
    chat.tools = tools.functions;
    // OpenAI refuses parallel_tool_calls on a request without tools.
    if (typeof request.parallel_tool_calls === 'boolean') chat.parallel_tool_calls = request.parallel_tool_calls;
  }
  const toolChoice = toChatToolChoice(request.tool_choice);
  if (toolChoice !== undefined) chat.tool_choice = toolChoice;
  const format = toResponseFormat(request.text?.format);
  if (format !== undefined) chat.response_format = format;
  if (request.text?.verbosity) chat.verbosity = request.text.verbosity;
  if (request.reasoning?.effort) chat.reasoning_effort = request.reasoning.effort;
  return chat;
}

function toResponseFormat(format: unknown): ChatRequest['response_format'] {
  if (format === undefined || format === null) return undefined;
  const object = readObject(format, 'text.format');
  const type = readString(object, 'type', 'text.format');
  if (type === 'text') return undefined;
  if (type === 'json_object') return { type };
  if (type !== 'json_schema') throw invalid('text.format.type', "must be one of 'text', 'json_object', 'json_schema'");
  const schema = object.schema;
  if (schema === undefined || typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw invalid('text.format.schema', 'a json_schema format needs a JSON Schema object');
  }
  const jsonSchema: NonNullable<Extract<ChatRequest['response_format'], { type: 'json_schema' }>>['json_schema'] = {
    name: readString(object, 'name', 'text.format'),
    schema: schema as Record<string, unknown>,
  };
  const description = readOptionalString(object, 'description', 'text.format');
  if (description !== undefined) jsonSchema.description = description;
  if (typeof object.strict === 'boolean') jsonSchema.strict = object.strict;
  return { type, json_schema: jsonSchema };
}
