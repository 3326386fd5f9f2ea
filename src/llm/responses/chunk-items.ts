/**
 * One model round's `chat.completion.chunk`s → Responses item events: a message item (output_text and refusal
 * parts) and one function_call item per tool call. Pure state machine; the emitter numbers the events.
 * The message closes when a tool call starts. Tool calls stay open until the round ends, because some upstreams
 * (Anthropic's parallel tool_use blocks) interleave the argument fragments of several calls.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { ResponseOutputRefusal, ResponseOutputText } from 'openai/resources/responses/responses';
import { newId } from '../ids.js';
import { functionCallItem, messageItem, outputTextPart, type ItemStatus } from './output-items.js';
import type { OutputItem, ResponseEventBody } from './response-types.js';

/** Where items live in the response's `output`; the emitter owns the array. */
export interface OutputSlots {
  /** Appends `item` and returns its `output_index`. */
  add(item: OutputItem): number;
  set(index: number, item: OutputItem): void;
}

interface OpenMessage {
  id: string;
  index: number;
  parts: Array<ResponseOutputText | ResponseOutputRefusal>;
}

interface OpenCall {
  id: string;
  index: number;
  callId: string;
  name: string;
  arguments: string;
}

export class ChunkItems {
  private message: OpenMessage | undefined;
  /** By the chunk's tool call index. */
  private readonly calls = new Map<number, OpenCall>();

  constructor(private readonly slots: OutputSlots) {}

  get open(): boolean {
    return this.message !== undefined || this.calls.size > 0;
  }

  push(chunk: ChatCompletionChunk): ResponseEventBody[] {
    const delta = chunk.choices[0]?.delta;
    if (!delta) return [];
    const events: ResponseEventBody[] = [];
    if (delta.content) this.text('output_text', delta.content, events);
    if (delta.refusal) this.text('refusal', delta.refusal, events);
    for (const call of delta.tool_calls ?? []) this.toolCall(call, events);
    return events;
  }

  /** Opens an empty message with one empty output_text part, for an answer that said nothing at all. */
  emptyMessage(): ResponseEventBody[] {
    const events: ResponseEventBody[] = [];
    this.text('output_text', '', events);
    return events;
  }

  /** Closes every open item (message first, then calls in output order). */
  close(status: ItemStatus): ResponseEventBody[] {
    const events: ResponseEventBody[] = [];
    this.closeMessage(status, events);
    const calls = [...this.calls.values()].sort((a, b) => a.index - b.index);
    for (const call of calls) {
      const ref = { item_id: call.id, output_index: call.index };
      events.push({ type: 'response.function_call_arguments.done', ...ref, arguments: call.arguments, name: call.name });
      const item = functionCallItem(call.id, call, status);
      this.slots.set(call.index, item);
      events.push({ type: 'response.output_item.done', output_index: call.index, item });
    }
    this.calls.clear();
    return events;
  }

  private text(kind: 'output_text' | 'refusal', delta: string, events: ResponseEventBody[]): void {
    const message = this.message ?? this.openMessage(events);
    let part = message.parts.at(-1);
    if (part?.type !== kind) {
      if (part) this.closePart(message, events);
      part = kind === 'output_text' ? outputTextPart('') : { type: 'refusal', refusal: '' };
      message.parts.push(part);
      events.push({ type: 'response.content_part.added', ...this.partRef(message), part: { ...part } });
    }
    const ref = this.partRef(message);
    if (delta === '') return;
    if (part.type === 'output_text') {
      part.text += delta;
      events.push({ type: 'response.output_text.delta', ...ref, delta, logprobs: [] });
    } else {
      part.refusal += delta;
      events.push({ type: 'response.refusal.delta', ...ref, delta });
    }
  }

  private openMessage(events: ResponseEventBody[]): OpenMessage {
    const id = newId('msg');
    const index = this.slots.add(messageItem(id, [], 'in_progress'));
    this.message = { id, index, parts: [] };
    events.push({ type: 'response.output_item.added', output_index: index, item: messageItem(id, [], 'in_progress') });
    return this.message;
  }

  private partRef(message: OpenMessage) {
    return { item_id: message.id, output_index: message.index, content_index: message.parts.length - 1 };
  }

  private closePart(message: OpenMessage, events: ResponseEventBody[]): void {
    const part = message.parts.at(-1);
    if (!part) return;
    const ref = this.partRef(message);
    if (part.type === 'output_text') events.push({ type: 'response.output_text.done', ...ref, text: part.text, logprobs: [] });
    else events.push({ type: 'response.refusal.done', ...ref, refusal: part.refusal });
    events.push({ type: 'response.content_part.done', ...ref, part: { ...part } });
  }

  private closeMessage(status: ItemStatus, events: ResponseEventBody[]): void {
    const message = this.message;
    if (!message) return;
    this.closePart(message, events);
    const item = messageItem(message.id, message.parts, status);
    this.slots.set(message.index, item);
    events.push({ type: 'response.output_item.done', output_index: message.index, item });
    this.message = undefined;
  }

  private toolCall(delta: ChatCompletionChunk.Choice.Delta.ToolCall, events: ResponseEventBody[]): void {
    let call = this.calls.get(delta.index);
    if (!call) {
      this.closeMessage('completed', events);
      const id = newId('fc');
      const callId = delta.id ?? `call_${id.slice(3)}`;
      const name = delta.function?.name ?? '';
      const item = functionCallItem(id, { callId, name, arguments: '' }, 'in_progress');
      call = { id, index: this.slots.add(item), callId, name, arguments: '' };
      this.calls.set(delta.index, call);
      events.push({ type: 'response.output_item.added', output_index: call.index, item });
    } else if (delta.function?.name) {
      call.name += delta.function.name;
    }
    const fragment = delta.function?.arguments;
    if (fragment) {
      call.arguments += fragment;
      events.push({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.index, delta: fragment });
    }
  }
}
