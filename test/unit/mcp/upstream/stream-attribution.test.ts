/** The call marker never leaves the proxy, and a server request on a POST's stream is attributed to its call. */
import { describe, expect, it } from 'vitest';
import type { DownstreamCall } from '../../../../src/mcp/hub/downstream-call.js';
import { StreamAttribution } from '../../../../src/mcp/upstream/stream-attribution.js';

const call: DownstreamCall = {
  sendRequest: async () => ({}),
  sendNotification: async () => undefined,
  supports: () => true,
  closeStream: () => undefined,
};

describe('StreamAttribution', () => {
  it('strips the marker from a POST body sent through fetch (legacy SSE); other _meta keys stay', async () => {
    const attribution = new StreamAttribution();
    const { request, token } = attribution.mark({ method: 'tools/call', params: { name: 'x', _meta: { progressToken: 7 } } }, call);
    const sentBodies: string[] = [];
    const fetch = attribution.wrapFetch(async (_url, init) => {
      sentBodies.push(String(init?.body));
      return new Response('Accepted', { status: 202 });
    });
    const response = await fetch('http://127.0.0.1/message', {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, ...request }),
    });
    expect(response.status).toBe(202);
    expect(sentBodies[0]).not.toContain('gatehouse/call');
    expect(JSON.parse(sentBodies[0])).toEqual({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 7 } } });
    attribution.release(token);
  });

  it('leaves bodies without a marker untouched', async () => {
    const attribution = new StreamAttribution();
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    let seen: unknown;
    const fetch = attribution.wrapFetch(async (_url, init) => {
      seen = init?.body;
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    });
    await fetch('http://127.0.0.1/mcp', { method: 'POST', body });
    expect(seen).toBe(body);
  });
});

describe('StreamAttribution.take (transports that serialise messages themselves)', () => {
  it('returns the message without the marker and the call it names; other _meta keys stay', () => {
    const attribution = new StreamAttribution();
    const { request, token } = attribution.mark({ method: 'tools/call', params: { name: 'x', _meta: { progressToken: 7 } } }, call);
    const taken = attribution.take({ jsonrpc: '2.0', id: 4, ...request });
    expect(taken.call).toBe(call);
    expect(taken.message).toEqual({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 7 } } });
    const bare = attribution.mark({ method: 'tools/call', params: { name: 'y' } }, call);
    expect(attribution.take({ jsonrpc: '2.0', id: 5, ...bare.request }).message).toEqual({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'y' } });
    attribution.release(token);
    attribution.release(bare.token);
  });

  it('notes server requests and log lines read from a call stream, and tells the answer apart', () => {
    const attribution = new StreamAttribution();
    expect(attribution.noteMessage({ id: 's9', method: 'elicitation/create' }, call, 3)).toBe(false);
    expect(attribution.noteMessage({ method: 'notifications/message' }, call, 3)).toBe(false);
    expect(attribution.noteMessage({ id: 3 }, call, 3)).toBe(true);
    expect(attribution.takeRequest('s9')).toBe(call);
    expect(attribution.takeLog()).toBe(call);
  });
});
