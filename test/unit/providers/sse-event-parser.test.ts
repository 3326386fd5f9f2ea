/** The byte-level SSE parser the upstream transport reads with: framing, fields, chunk splits, the size bound. */
import { describe, expect, it } from 'vitest';
import { SseEventParser, SseEventTooLargeError } from '../../../providers/sse-event-parser.js';

function parseAll(chunks: string[], maxBytes = 1_000): ReturnType<SseEventParser['push']> {
  const parser = new SseEventParser(maxBytes);
  return chunks.flatMap((chunk) => parser.push(Buffer.from(chunk)));
}

describe('SseEventParser', () => {
  it('reads id, event and multi-line data, ignoring comments', () => {
    expect(parseAll([': keep-alive\n', 'id: 7\nevent: message\ndata: {"a":\ndata: 1}\n\n'])).toEqual([
      { id: '7', type: 'message', data: '{"a":\n1}' },
    ]);
  });

  it('handles CRLF and events split at any byte, including inside a multi-byte character', () => {
    const text = 'data: {"text":"héllo ☃"}\r\n\r\ndata: second\n\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new SseEventParser(1_000);
      const events = [...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut))];
      expect(events).toEqual([{ data: '{"text":"héllo ☃"}' }, { data: 'second' }]);
    }
  });

  it('reports a priming event that carries only an id, and remembers retry', () => {
    const parser = new SseEventParser(1_000);
    expect(parser.push(Buffer.from('id: s1_1\nretry: 1500\ndata:\n\n'))).toEqual([{ id: 's1_1', data: '' }]);
    expect(parser.push(Buffer.from('id: s1_2\n\n'))).toEqual([{ id: 's1_2' }]);
    expect(parser.retryMs).toBe(1500);
  });

  it('fails once one event exceeds the limit, whether in one line or across data lines and chunks', () => {
    expect(() => parseAll([`data: ${'x'.repeat(2_000)}\n\n`])).toThrow(SseEventTooLargeError);
    expect(() => parseAll(Array.from({ length: 30 }, () => `data: ${'x'.repeat(50)}\n`))).toThrow(/exceeds the 1000-byte limit/);
    expect(() => parseAll(Array.from({ length: 30 }, () => 'x'.repeat(50)))).toThrow(/exceeds the 1000-byte limit/);
  });

  it('does not bound the stream as a whole, only each event', () => {
    const events = parseAll(Array.from({ length: 50 }, (_, i) => `data: ${'y'.repeat(500)}${i}\n\n`));
    expect(events).toHaveLength(50);
  });
});
