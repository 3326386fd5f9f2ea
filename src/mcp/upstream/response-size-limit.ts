/**
 * Bounds what one upstream HTTP message may cost in memory: a JSON body, or one SSE event (a long-lived SSE
 * stream may carry any number of events). Past the limit the body errors and the request fails; the proxy
 * never buffers an unbounded answer from a hostile or broken upstream.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

const LF = 10;
const CR = 13;

export function limitResponseSize(base: FetchLike, maxBytes: number): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.body) return response;
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new Error(`upstream response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
    }
    const perEvent = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    return new Response(response.body.pipeThrough(counter(maxBytes, perEvent)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function counter(maxBytes: number, perEvent: boolean): TransformStream<Uint8Array, Uint8Array> {
  let size = 0;
  let previous = -1;
  return new TransformStream({
    transform(chunk, controller) {
      if (perEvent) {
        // An SSE event ends at a blank line; count bytes since the last one.
        for (const byte of chunk) {
          if (byte === CR) continue;
          size = byte === LF && previous === LF ? 0 : size + 1;
          previous = byte;
        }
      } else {
        size += chunk.byteLength;
      }
      if (size > maxBytes) {
        controller.error(new Error(`upstream message exceeds the ${maxBytes}-byte limit`));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}
