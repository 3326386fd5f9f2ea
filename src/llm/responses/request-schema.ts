/**
 * JSON Schema for the body of POST /v1/responses, compiled once by Fastify at route registration. It checks the
 * top-level fields and their documented ranges; input items are checked field by field in `parse-input.ts`, and
 * tools / tool_choice / text.format in `request-to-chat.ts`, where the error can name the exact item at fault.
 */
import type { ResponseCreateParamsBase } from 'openai/resources/responses/responses';

/**
 * A create request as validated: `model` is required here (OpenAI allows a stored prompt instead);
 * `max_tool_calls` is openai@7's.
 */
export type ResponsesRequest = ResponseCreateParamsBase & { model: string; max_tool_calls?: number | null };

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

export const RESPONSES_REQUEST_SCHEMA = {
  type: 'object',
  required: ['model'],
  properties: {
    model: { type: 'string', minLength: 1 },
    input: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }] },
    instructions: nullable({ type: 'string' }),
    previous_response_id: nullable({ type: 'string', minLength: 1 }),
    store: nullable({ type: 'boolean' }),
    stream: nullable({ type: 'boolean' }),
    stream_options: nullable({ type: 'object', properties: { include_obfuscation: { type: 'boolean' } } }),
    background: nullable({ type: 'boolean' }),
    max_output_tokens: nullable({ type: 'integer', minimum: 1 }),
    max_tool_calls: nullable({ type: 'integer', minimum: 1 }),
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
    top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
    parallel_tool_calls: nullable({ type: 'boolean' }),
    user: { type: 'string' },
    safety_identifier: nullable({ type: 'string' }),
    prompt_cache_key: nullable({ type: 'string' }),
    service_tier: nullable({ enum: ['auto', 'default', 'flex', 'scale', 'priority'] }),
    metadata: nullable({
      type: 'object',
      maxProperties: 16,
      propertyNames: { maxLength: 64 },
      additionalProperties: { type: 'string', maxLength: 512 },
    }),
    tools: { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } },
    tool_choice: { anyOf: [{ enum: ['none', 'auto', 'required'] }, { type: 'object', required: ['type'] }] },
    text: {
      type: 'object',
      properties: {
        format: { type: 'object', required: ['type'], properties: { type: { enum: ['text', 'json_object', 'json_schema'] } } },
        verbosity: nullable({ enum: ['low', 'medium', 'high'] }),
      },
    },
    reasoning: nullable({
      type: 'object',
      properties: { effort: nullable({ enum: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] }) },
    }),
    include: nullable({ type: 'array', items: { type: 'string' } }),
    truncation: nullable({ enum: ['auto', 'disabled'] }),
    top_logprobs: nullable({ type: 'integer', minimum: 0, maximum: 20 }),
  },
} as const;
