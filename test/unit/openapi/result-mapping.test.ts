/** REST answers → MCP tool results (issue #5 point 4). */
import { describe, expect, it } from 'vitest';
import { toToolResult } from '../../../src/openapi/result-mapping.js';

const ok = (status: number, type: string | undefined, body: string | Buffer) =>
  toToolResult({ ok: true, status, headers: type === undefined ? {} : { 'content-type': type }, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });

describe('toToolResult', () => {
  it('maps JSON objects to structuredContent plus text, and wraps other JSON values', () => {
    expect(ok(200, 'application/json', '{"a":1}')).toEqual({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } });
    expect(ok(200, 'application/vnd.api+json', '[1,2]').structuredContent).toEqual({ result: [1, 2] });
    expect(ok(200, undefined, '{"sniffed":true}').structuredContent).toEqual({ sniffed: true });
  });

  it('maps text to text and summarises binary', () => {
    expect(ok(200, 'text/csv', 'a,b')).toEqual({ content: [{ type: 'text', text: 'a,b' }] });
    expect(ok(200, 'application/pdf', Buffer.alloc(10))).toEqual({ content: [{ type: 'text', text: 'Binary response (application/pdf, 10 bytes), not shown.' }] });
    expect(ok(204, undefined, '')).toEqual({ content: [{ type: 'text', text: 'HTTP 204 No Content (no content)' }] });
  });

  it('maps non-2xx to isError with the status and the body message', () => {
    expect(ok(422, 'application/json', '{"error":{"message":"name is taken"}}')).toEqual({ content: [{ type: 'text', text: 'HTTP 422 Unprocessable Entity: name is taken' }], isError: true });
    expect(ok(500, 'text/plain', 'boom')).toMatchObject({ content: [{ text: 'HTTP 500 Internal Server Error: boom' }], isError: true });
    expect(ok(503, 'image/png', Buffer.alloc(3))).toMatchObject({ content: [{ text: 'HTTP 503 Service Unavailable (3 bytes of image/png)' }], isError: true });
  });

  it('passes transport failures on as isError', () => {
    expect(toToolResult({ ok: false, reason: 'timeout', message: 'x did not answer' })).toEqual({ content: [{ type: 'text', text: 'x did not answer' }], isError: true });
  });
});
