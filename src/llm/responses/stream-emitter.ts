/**
 * One streamed response's event sequence, with one lifecycle (`response.created` … terminal event), a continuous
 * `sequence_number` from 0 and a continuous `output_index` across tool rounds (wire-formats.md §1.5). It renders
 * upstream chunks and the tool loop's `LoopEvent`s; framing the events is the sink's job.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { LoopEvent } from '../tool-loop/index.js';
import { ChunkItems } from './chunk-items.js';
import { newId } from '../ids.js';
import {
  approvalRequestEvents,
  mcpCallFinishedEvents,
  mcpCallStartedEvents,
  mcpListToolsEvents,
} from './mcp-events.js';
import { mcpCallItem, mcpListToolsItem, approvalRequestItem, type ItemStatus } from './output-items.js';
import { buildResponse, type ResponseIdentity, type ResponseOutcome } from './response-object.js';
import { NativeItems } from './native-items.js';
import type { NativeItem } from './native-input.js';
import type { OutputItem, ResponseEvent, ResponseEventBody, ResponseObject, UpstreamEventBody } from './response-types.js';

export type EventSink = (event: ResponseEvent) => Promise<void>;

export class ResponseEmitter {
  private sequence = 0;
  private readonly output: OutputItem[] = [];
  private readonly chunks: ChunkItems;
  /** `mcp_call` id → output_index. */
  private readonly mcpCalls = new Map<string, number>();

  constructor(
    private readonly identity: ResponseIdentity,
    private readonly sink: EventSink,
  ) {
    this.chunks = new ChunkItems({ add: (item) => this.add(item), set: (index, item) => (this.output[index] = item) });
  }

  /** `response.created` then `response.in_progress`. */
  start(): Promise<void> {
    const snapshot = () => buildResponse(this.identity, { status: 'in_progress', output: [] });
    return this.emit([
      { type: 'response.created', response: snapshot() },
      { type: 'response.in_progress', response: snapshot() },
    ]);
  }

  chunk(chunk: ChatCompletionChunk): Promise<void> {
    return this.emit(this.chunks.push(chunk));
  }

  /** Closes the items the current model round left open. */
  endRound(status: ItemStatus = 'completed'): Promise<void> {
    return this.chunks.open ? this.emit(this.chunks.close(status)) : Promise.resolve();
  }

  /** One native upstream round's items and events, renumbered into this response (`hidden`: calls the loop answers). */
  nativeRound(hidden: (item: NativeItem) => boolean): NativeItems {
    return new NativeItems(
      { add: (item) => this.add(item), set: (index, item) => (this.output[index] = item) },
      hidden,
      (events) => this.emit(events),
    );
  }

  async loopEvent(event: LoopEvent): Promise<void> {
    if (event.type === 'chunk') return this.chunk(event.chunk);
    // Anything else the loop reports happens after the model's output for the round is complete.
    await this.endRound();
    switch (event.type) {
      case 'round_started':
        return;
      case 'tools_listed':
      case 'tools_list_failed': {
        const listed = event.type === 'tools_listed' ? { tools: event.tools } : { error: event.error };
        const item = mcpListToolsItem(newId('mcpl'), event.serverLabel, listed);
        return this.emit(mcpListToolsEvents(item, this.add(item)));
      }
      case 'mcp_call_started': {
        const index = this.add(mcpCallItem(event.call, 'started'));
        this.mcpCalls.set(event.call.id, index);
        return this.emit(mcpCallStartedEvents(event.call, index));
      }
      case 'mcp_call_finished': {
        let index = this.mcpCalls.get(event.call.id);
        if (index === undefined) {
          await this.loopEvent({ type: 'mcp_call_started', call: event.call });
          index = this.mcpCalls.get(event.call.id)!;
        }
        this.output[index] = mcpCallItem(event.call, 'finished');
        return this.emit(mcpCallFinishedEvents(event.call, index));
      }
      case 'approval_requested':
        return this.emit(approvalRequestEvents(event.request, this.add(approvalRequestItem(event.request))));
    }
  }

  /**
   * Closes what is open and returns the final response, without sending the terminal event yet (the caller
   * stores the response first, so a client that reads it right after the stream finds it).
   */
  async conclude(outcome: Omit<ResponseOutcome, 'output'>): Promise<ResponseObject> {
    const itemStatus: ItemStatus = outcome.status === 'completed' ? 'completed' : 'incomplete';
    if (outcome.status !== 'failed' && this.output.length === 0) await this.emit(this.chunks.emptyMessage());
    await this.endRound(itemStatus);
    return buildResponse(this.identity, { ...outcome, output: [...this.output] });
  }

  /** The terminal event for a concluded response: `response.completed`, `.incomplete` or `.failed`. */
  terminate(response: ResponseObject): Promise<void> {
    const type =
      response.status === 'failed' ? 'response.failed' : response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return this.emit([{ type, response }]);
  }

  private add(item: OutputItem): number {
    return this.output.push(item) - 1;
  }

  private async emit(events: readonly (ResponseEventBody | UpstreamEventBody)[]): Promise<void> {
    for (const event of events) await this.sink({ ...event, sequence_number: this.sequence++ });
  }
}
