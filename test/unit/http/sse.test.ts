/** The one SSE framing: the bytes the LLM routes (SseWriter) and the MCP direct tools/call streams put on the wire. */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dataFrame, eventFrame, primingFrame, SseWriter, writeMcpStreamHead } from '../../../src/http/sse.js';

describe('SSE frames', () => {
  it('writes a data frame, a named event, and a named event with its id between event and data', () => {
    expect(dataFrame('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(eventFrame('response.created', '{"a":1}')).toBe('event: response.created\ndata: {"a":1}\n\n');
    expect(eventFrame('message', '{"a":1}', 'direct-x_3')).toBe('event: message\nid: direct-x_3\ndata: {"a":1}\n\n');
  });

  it('writes a priming event: an id and a retry delay with empty data (SEP-1699)', () => {
    expect(primingFrame('direct-x_1', 1000)).toBe('id: direct-x_1\nretry: 1000\ndata: \n\n');
  });
});

describe('SSE streams over real HTTP', () => {
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  /** Serves one response written by `write`; returns what a client reads: headers and the whole body. */
  async function serve(write: (res: ServerResponse) => Promise<void> | void): Promise<{ headers: Headers; body: string }> {
    const server = createServer((_req, res) => void write(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return { headers: response.headers, body: await response.text() };
  }

  it('SseWriter: the LLM routes’ head (no proxy buffering) and frames, ended by [DONE]', async () => {
    const { headers, body } = await serve(async (res) => {
      const sse = new SseWriter(res);
      sse.open({ 'x-request-id': 'r1' });
      await sse.data('{"n":1}');
      await sse.event('response.done', '{"n":2}');
      sse.done();
    });
    expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(headers.get('cache-control')).toBe('no-cache');
    expect(headers.get('x-accel-buffering')).toBe('no');
    expect(headers.get('x-request-id')).toBe('r1');
    expect(body).toBe('data: {"n":1}\n\nevent: response.done\ndata: {"n":2}\n\ndata: [DONE]\n\n');
  });

  it('MCP stream head: the SDK server transport’s headers with the session id', async () => {
    const { headers, body } = await serve((res) => {
      writeMcpStreamHead(res, 'session-1');
      res.end(eventFrame('message', '{"jsonrpc":"2.0","id":1,"result":{}}'));
    });
    expect(headers.get('content-type')).toBe('text/event-stream');
    expect(headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(headers.get('mcp-session-id')).toBe('session-1');
    expect(body).toBe('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
  });
});
