/** Stored-response records for the store tests, built from the `openai` wire types. */
import { randomUUID } from 'node:crypto';
import type { Response, ResponseInputMessageItem, ResponseOutputMessage } from 'openai/resources/responses/responses';
import type { StoredResponse } from '../../../src/store/index.js';

export function uniqueId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

export function userMessage(text: string): ResponseInputMessageItem {
  return { id: uniqueId('msg'), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text }] };
}

export function assistantMessage(text: string): ResponseOutputMessage {
  return {
    id: uniqueId('msg'),
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

export interface RecordOptions {
  previousResponseId?: string | null;
  inputText?: string[];
  outputText?: string[];
  instructions?: StoredResponse['instructions'];
  ownerId?: string | null;
  store?: boolean;
  status?: StoredResponse['status'];
}

/** A complete record whose response object agrees with its columns. */
export function responseRecord(options: RecordOptions = {}): StoredResponse {
  const id = uniqueId('resp');
  const inputItems = (options.inputText ?? ['hello']).map(userMessage);
  const outputItems = (options.outputText ?? ['hi there']).map(assistantMessage);
  const status = options.status ?? 'completed';
  const instructions = options.instructions ?? null;
  const previousResponseId = options.previousResponseId ?? null;
  const response: Response = {
    id,
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: null,
    instructions,
    metadata: {},
    model: 'demo',
    output: outputItems,
    output_text: outputItems.map((item) => item.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('')).join(''),
    parallel_tool_calls: true,
    previous_response_id: previousResponseId,
    temperature: 1,
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    usage: {
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 5,
    },
  };
  return {
    id,
    createdAt: 1_700_000_000_123,
    model: 'demo',
    status,
    previousResponseId,
    instructions,
    inputItems,
    outputItems,
    response,
    ownerId: options.ownerId ?? null,
    store: options.store ?? true,
  };
}
