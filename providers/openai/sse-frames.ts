/**
 * The `data:` payloads of an upstream SSE body, as bytes arrive (parsed by ../sse-event-parser.ts; multi-line data
 * joined with `\n`, other fields skipped). One event may hold at most MAX_FRAME_BYTES: an upstream that never ends a
 * frame fails the request instead of growing the proxy's memory.
 */
import { SseEventParser } from '../sse-event-parser.js';

/** Far above any chat chunk or Responses event (`response.completed` carries the whole response). */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

export async function* sseDataFrames(body: AsyncIterable<Buffer | Uint8Array | string>): AsyncIterable<string> {
  const parser = new SseEventParser(MAX_FRAME_BYTES);
  for await (const piece of body) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    for (const event of parser.push(bytes)) {
      if (event.data !== undefined) yield event.data;
    }
  }
  // A last frame without its blank line still counts (the old splitter kept it).
  for (const event of parser.push(Buffer.from('\n\n'))) {
    if (event.data !== undefined) yield event.data;
  }
}
