/**
 * Closing Gatehouse (src/http/idle-sockets.ts): keep-alive connections that served a hijacked (streamed) response
 * must not hold `app.close()` until the client gives them up, and a response still being streamed is not cut.
 * The clients keep idle connections for a minute, so a close that waits for them fails by the test's timeout.
 */
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { startGatehouse } from './harness.js';

const CHUNKS = ['Hel', 'lo', ' the', 're'].map((content, index) => ({
  id: 'chatcmpl-close',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }],
}));

let upstream: OpenAIUpstream | undefined;
let mcpUpstream: CountingServer | undefined;
const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.destroy()));
  await upstream?.close();
  await mcpUpstream?.close();
});

async function gatehouseWithStreams(delayMs: number) {
  upstream = await startOpenAIUpstream(() => ({ kind: 'stream', chunks: CHUNKS, delayMs }));
  const gatehouse = await startGatehouse(
    `model_list:\n  - model_name: m\n    litellm_params:\n      model: openai/gpt-4o-mini\n      api_base: ${upstream.url}\n      api_key: sk-up\n`,
  );
  const pool = new Pool(gatehouse.origin, { connections: 2, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
  pools.push(pool);
  const stream = () =>
    pool.request({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
  return { gatehouse, stream };
}

describe('closing the app', () => {
  it('does not wait for idle keep-alive connections that served streamed responses', { timeout: 10_000 }, async () => {
    const { gatehouse, stream } = await gatehouseWithStreams(0);
    const served = await Promise.all([stream(), stream()]);
    for (const response of served) expect(await response.body.text()).toContain('data: [DONE]');
    // Both connections stay open on the client side (keep-alive for a minute) when close is asked.
    await gatehouse.close();
  });

  it('does not wait for idle keep-alive connections that served /mcp requests (hijacked responses)', { timeout: 10_000 }, async () => {
    mcpUpstream = await startCountingServer({ delayMs: 0 });
    const gatehouse = await startGatehouse(`model_list: []\nmcp_servers:\n  counting:\n    url: ${mcpUpstream.url}\n`);
    const pool = new Pool(gatehouse.origin, { connections: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    pools.push(pool);
    const initialize = await pool.request({
      method: 'POST',
      path: '/mcp',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'close-test', version: '1' } },
      }),
    });
    expect(initialize.statusCode).toBe(200);
    expect(await initialize.body.text()).toContain('"serverInfo"');
    await gatehouse.close();
  });

  it('lets a response that is still streaming finish', { timeout: 10_000 }, async () => {
    const { gatehouse, stream } = await gatehouseWithStreams(150);
    const response = await stream();
    const text = response.body.text();
    await gatehouse.close();
    const body = await text;
    expect(body).toContain('"content":"re"');
    expect(body).toContain('data: [DONE]');
  });
});
