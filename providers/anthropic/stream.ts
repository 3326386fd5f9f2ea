/**
 * Anthropic Messages stream events → `chat.completion.chunk` objects (wire-formats.md §3.4). A pure state machine:
 * one instance per stream, fed events in order, never touching I/O.
 */
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { UpstreamStatusError } from '../upstream-errors.js';
import { toFinishReason, type FinishReason } from './finish-reason.js';
import { toCompletionId } from './response.js';
import { toChatUsage, type AnthropicUsageCounters } from './usage.js';

type ChunkDelta = ChatCompletionChunk.Choice.Delta;

export interface StreamTranslatorOptions {
  /** Unix seconds, shared by every chunk of the stream. */
  created: number;
  /** `stream_options.include_usage`: add `usage: null` to each chunk and a final `choices: []` usage chunk. */
  includeUsage: boolean;
}

export class AnthropicStreamTranslator {
  private id: string | undefined;
  private model = '';
  private usage: AnthropicUsageCounters = { input_tokens: 0, output_tokens: 0 };
  /** Anthropic content block index → Chat tool call index (the tool counter, not the block index). */
  private readonly toolIndexByBlock = new Map<number, number>();
  private finished = false;

  constructor(private readonly options: StreamTranslatorOptions) {}

  /** True once `message_stop` arrived; a stream that ends before that was cut off. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** The chunks one upstream event produces (often none). */
  push(event: RawMessageStreamEvent): ChatCompletionChunk[] {
    if (this.finished) return [];
    if (event.type !== 'message_start' && this.id === undefined) {
      throw new UpstreamStatusError(502, `Anthropic stream sent ${event.type} before message_start.`, {
        upstreamType: 'invalid_stream',
      });
    }
    switch (event.type) {
      case 'message_start': {
        this.id = toCompletionId(event.message.id);
        this.model = event.message.model;
        const { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens } =
          event.message.usage;
        this.usage = { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens };
        return [this.chunk({ role: 'assistant', content: '' })];
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') return block.text === '' ? [] : [this.chunk({ content: block.text })];
        if (block.type !== 'tool_use') return [];
        const index = this.toolIndexByBlock.size;
        this.toolIndexByBlock.set(event.index, index);
        return [
          this.chunk({
            tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }],
          }),
        ];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') return delta.text === '' ? [] : [this.chunk({ content: delta.text })];
        if (delta.type !== 'input_json_delta' || delta.partial_json === '') return [];
        const index = this.toolIndexByBlock.get(event.index);
        if (index === undefined) return []; // JSON for a server tool block, which Chat has no place for
        return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
      }
      case 'content_block_stop':
        return [];
      case 'message_delta': {
        const { usage } = event;
        this.usage.output_tokens = usage.output_tokens;
        if (usage.input_tokens != null) this.usage.input_tokens = usage.input_tokens;
        if (usage.cache_creation_input_tokens != null) {
          this.usage.cache_creation_input_tokens = usage.cache_creation_input_tokens;
        }
        if (usage.cache_read_input_tokens != null) this.usage.cache_read_input_tokens = usage.cache_read_input_tokens;
        return [this.chunk({}, toFinishReason(event.delta.stop_reason))];
      }
      case 'message_stop':
        this.finished = true;
        return this.options.includeUsage ? [this.usageChunk()] : [];
      default:
        return [];
    }
  }

  private base(): Omit<ChatCompletionChunk, 'choices'> {
    return { id: this.id ?? '', object: 'chat.completion.chunk', created: this.options.created, model: this.model };
  }

  private chunk(delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    const chunk: ChatCompletionChunk = {
      ...this.base(),
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    };
    if (this.options.includeUsage) chunk.usage = null;
    return chunk;
  }

  private usageChunk(): ChatCompletionChunk {
    return { ...this.base(), choices: [], usage: toChatUsage(this.usage) };
  }
}
