/**
 * One native upstream round rendered into the response being built: its items and events pass through as the
 * upstream sent them, renumbered into this response's `output_index` (several upstream rounds make one response)
 * and without the function calls the tool loop answers itself (MCP tools, unknown names), which the loop reports
 * as `mcp_call` / `mcp_approval_request` items instead. Lifecycle events stay the emitter's.
 */
import type { OutputSlots } from './chunk-items.js';
import type { NativeItem } from './native-input.js';
import type { OutputItem, UpstreamEventBody } from './response-types.js';

/** Upstream event types that belong to the upstream's own lifecycle, not to an item. */
const LIFECYCLE = new Set(['response.created', 'response.in_progress', 'response.queued', 'response.completed', 'response.incomplete', 'response.failed']);

export class NativeItems {
  /** Upstream output_index → ours, or null for an item the client does not see. */
  private readonly indices = new Map<number, number | null>();

  constructor(
    private readonly slots: OutputSlots,
    /** True for a function call the tool loop answers (not the client's). */
    private readonly hidden: (item: NativeItem) => boolean,
    private readonly emit: (events: UpstreamEventBody[]) => Promise<void>,
  ) {}

  /** A non-streamed round's output item: added and done at once. */
  item(item: NativeItem): Promise<void> {
    if (this.hidden(item)) return Promise.resolve();
    const index = this.slots.add(item as unknown as OutputItem);
    return this.emit([
      { type: 'response.output_item.added', output_index: index, item },
      { type: 'response.output_item.done', output_index: index, item },
    ]);
  }

  /** A streamed round's event; lifecycle events are the caller's to read and are not forwarded. */
  event(event: UpstreamEventBody): Promise<void> {
    if (LIFECYCLE.has(event.type)) return Promise.resolve();
    const { sequence_number: _upstreamSequence, ...body } = event;
    const upstreamIndex = typeof body.output_index === 'number' ? body.output_index : undefined;
    if (upstreamIndex === undefined) return this.emit([body as UpstreamEventBody]);
    if (event.type === 'response.output_item.added') {
      const item = body.item as NativeItem;
      const index = this.hidden(item) ? null : this.slots.add(item as unknown as OutputItem);
      this.indices.set(upstreamIndex, index);
    }
    const index = this.indices.get(upstreamIndex);
    if (index === null || index === undefined) return Promise.resolve();
    if (event.type === 'response.output_item.done') this.slots.set(index, body.item as OutputItem);
    return this.emit([{ ...body, output_index: index } as UpstreamEventBody]);
  }
}
