/**
 * JSON Schema for the body of POST /v1/chat/completions, compiled once by Fastify at route registration.
 * It checks what the proxy itself relies on and the documented ranges; other fields pass through unchecked.
 */

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

const contentRequired = ['system', 'developer', 'user', 'tool'].map((role) => ({
  if: { properties: { role: { const: role } }, required: ['role'] },
  then: { required: ['content'] },
}));

/** `then` applies to an object whose `type` is `type` (so a missing field is named: `tools[0].function`). */
const whenType = (type: string, then: Record<string, unknown>) => ({
  if: { properties: { type: { const: type } }, required: ['type'] },
  then,
});

/** The parts the proxy reads itself (token counting, Anthropic translation); other part types pass through. */
const CONTENT_PART = {
  type: 'object',
  required: ['type'],
  allOf: [
    whenType('text', { required: ['text'], properties: { text: { type: 'string' } } }),
    whenType('image_url', {
      required: ['image_url'],
      properties: { image_url: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } } },
    }),
  ],
};

const FUNCTION_NAME = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } };

export const CHAT_REQUEST_SCHEMA = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    model: { type: 'string', minLength: 1 },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role'],
        properties: {
          role: { enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] },
          // if/else rather than anyOf, so a bad part is reported at its own path (`messages[0].content[1].text`).
          content: { if: { type: 'array' }, then: { type: 'array', items: CONTENT_PART }, else: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
          tool_call_id: { type: 'string' },
          tool_calls: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'type', 'function'],
              properties: {
                id: { type: 'string' },
                type: { type: 'string' },
                function: {
                  type: 'object',
                  required: ['name', 'arguments'],
                  properties: { name: { type: 'string' }, arguments: { type: 'string' } },
                },
              },
            },
          },
        },
        allOf: [
          ...contentRequired,
          { if: { properties: { role: { const: 'tool' } }, required: ['role'] }, then: { required: ['tool_call_id'] } },
        ],
      },
    },
    stream: nullable({ type: 'boolean' }),
    stream_options: nullable({ type: 'object', properties: { include_usage: { type: 'boolean' } } }),
    tools: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type'],
        properties: {
          type: { type: 'string' },
          function: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string', minLength: 1 }, parameters: { type: 'object' } },
          },
        },
        allOf: [whenType('function', { required: ['function'] })],
      },
    },
    tool_choice: {
      if: { type: 'string' },
      then: { enum: ['none', 'auto', 'required'] },
      else: {
        type: 'object',
        required: ['type'],
        allOf: [whenType('function', { required: ['function'], properties: { function: FUNCTION_NAME } })],
      },
    },
    n: nullable({ type: 'integer', minimum: 1, maximum: 128 }),
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
    top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
    presence_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
    frequency_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
    max_tokens: nullable({ type: 'integer', minimum: 1 }),
    max_completion_tokens: nullable({ type: 'integer', minimum: 1 }),
    stop: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 4 }, { type: 'null' }] },
    parallel_tool_calls: nullable({ type: 'boolean' }),
    // Gatehouse extension: caps the MCP calls the tool loop runs (docs/endpoints.md).
    max_tool_calls: nullable({ type: 'integer', minimum: 1 }),
    user: nullable({ type: 'string' }),
  },
} as const;
