/**
 * Issue #2 acceptance: every error case returns the stated status and the OpenAI error shape,
 * and no upstream key appears in any response or captured log line.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk, completion, json, openAIError, startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const MASTER = 'sk-master-for-tests';
const UPSTREAM_KEY = 'sk-upstream-very-secret-key-42';

let upstream: OpenAIUpstream;
let gatehouse: RunningGatehouse;
const responses: string[] = [];

/** Raw POST so we see exactly what a non-SDK client sees; every body is kept for the leak check. */
async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${gatehouse.origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  responses.push(text, JSON.stringify([...response.headers]));
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as { error: Record<string, unknown> } };
}

const chat = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

beforeAll(async () => {
  upstream = await startOpenAIUpstream((request) => {
    const behaviour = (request.body.messages as { content: string }[])[0].content;
    switch (behaviour) {
      case 'rate-limit':
        return openAIError(429, 'Rate limit reached for requests', { 'retry-after': '30' });
      case 'server-error':
        return openAIError(500, 'The server had an error');
      case 'unavailable':
        return openAIError(503, 'overloaded');
      case 'bad-key':
        return openAIError(401, `Incorrect API key provided: ${UPSTREAM_KEY.slice(0, 6)}***${UPSTREAM_KEY.slice(-4)}.`);
      case 'context':
        return json({ error: { message: 'context too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }, 400);
      case 'slow':
        return new Promise((done) => setTimeout(() => done(json(completion({ content: 'late' }))), 3_000));
      case 'mid-stream':
        return { kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'partial' })], end: 'error-frame' };
      case 'endless-frame':
        return { kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' })], end: 'endless-frame' };
      default:
        return json(completion({ content: 'ok' }));
    }
  });
  gatehouse = await startGatehouse(
    `
model_list:
  - model_name: gpt-test
    litellm_params:
      model: openai/gpt-upstream
      api_base: ${upstream.url}
      api_key: os.environ/UPSTREAM_KEY
  - model_name: gpt-slow
    litellm_params:
      model: openai/gpt-upstream
      api_base: ${upstream.url}
      api_key: os.environ/UPSTREAM_KEY
      timeout: 0.3
  - model_name: gpt-nokey
    litellm_params:
      model: openai/gpt-upstream
      api_base: ${upstream.url}
      api_key: os.environ/NOT_SET_ANYWHERE
router_settings:
  num_retries: 1
general_settings:
  master_key: ${MASTER}
  max_request_size_mb: 0.01
`,
    { env: { UPSTREAM_KEY } },
  );
});

afterAll(async () => {
  await gatehouse.close();
  await upstream.close();
});

function expectOpenAIError(body: { error: Record<string, unknown> }, code: string) {
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
}

describe('errors on /v1/chat/completions', () => {
  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const result = await post('/v1/chat/completions', '{"model": "gpt-test", ');
    expect(result.status).toBe(400);
    expectOpenAIError(result.body, 'invalid_json');
  });

  it('answers 400 naming the missing field', async () => {
    const result = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test' }));
    expect(result.status).toBe(400);
    expectOpenAIError(result.body, 'invalid_request');
    expect(result.body.error.param).toBe('messages');
  });

  it('answers 400 naming the invalid nested field', async () => {
    const result = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'wizard', content: 'x' }] }));
    expect(result.status).toBe(400);
    expect(result.body.error.param).toBe('messages[0].role');
    const range = await post('/v1/chat/completions', chat('gpt-test', { temperature: 7 }));
    expect(range.status).toBe(400);
    expect(range.body.error.param).toBe('temperature');
  });

  it('answers 401 without a key and with a wrong key, through Authorization or x-litellm-api-key', async () => {
    const missing = await fetch(`${gatehouse.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chat('gpt-test'),
    });
    expect(missing.status).toBe(401);
    expectOpenAIError((await missing.json()) as { error: Record<string, unknown> }, 'missing_api_key');
    const wrong = await post('/v1/chat/completions', chat('gpt-test'), { authorization: 'Bearer sk-wrong' });
    expect(wrong.status).toBe(401);
    expectOpenAIError(wrong.body, 'invalid_api_key');
    const viaHeader = await post('/v1/chat/completions', chat('gpt-test'), { authorization: '', 'x-litellm-api-key': MASTER });
    expect(viaHeader.status).toBe(200);
    await expect(gatehouse.client('sk-wrong').models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const result = await post('/v1/chat/completions', chat('no-such-model'));
    expect(result.status).toBe(404);
    expectOpenAIError(result.body, 'model_not_found');
    expect(result.body.error.param).toBe('model');
  });

  it('answers 413 for a body over general_settings.max_request_size_mb', async () => {
    const result = await post('/v1/chat/completions', chat('gpt-test', { padding: 'x'.repeat(20_000) }));
    expect(result.status).toBe(413);
    expectOpenAIError(result.body, 'request_too_large');
  });

  it('passes an upstream 429 on as 429 with retry-after, without waiting out a long retry-after', async () => {
    const before = upstream.requests.length;
    const result = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'rate-limit' }] }));
    expect(result.status).toBe(429);
    expect(upstream.requests.length - before).toBe(1);
    expect(result.headers.get('retry-after')).toBe('30');
    expectOpenAIError(result.body, 'rate_limit_exceeded');
  });

  it('answers 502 after retries when the upstream keeps failing with 500, and 503 for 503', async () => {
    const before = upstream.requests.length;
    const failed = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'server-error' }] }));
    expect(failed.status).toBe(502);
    expectOpenAIError(failed.body, 'upstream_error');
    expect(upstream.requests.length - before).toBe(2); // first try + num_retries: 1
    const unavailable = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'unavailable' }] }));
    expect(unavailable.status).toBe(503);
    expectOpenAIError(unavailable.body, 'upstream_unavailable');
  });

  it('answers 504 when the upstream exceeds the deployment timeout', async () => {
    const result = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-slow', messages: [{ role: 'user', content: 'slow' }] }));
    expect(result.status).toBe(504);
    expectOpenAIError(result.body, 'upstream_timeout');
  });

  it('passes an upstream 400 on with its code and param', async () => {
    const result = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'context' }] }));
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'context_length_exceeded', param: 'messages', message: 'context too long' });
  });

  it('answers 401 naming the unset variable of a model whose key is missing', async () => {
    const result = await post('/v1/chat/completions', chat('gpt-nokey'));
    expect(result.status).toBe(401);
    expectOpenAIError(result.body, 'upstream_credential_missing');
    expect(result.body.error.message).toContain('NOT_SET_ANYWHERE');
  });

  it('turns an upstream credential rejection into 401 without echoing the masked key', async () => {
    const result = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'bad-key' }] }));
    expect(result.status).toBe(401);
    expectOpenAIError(result.body, 'upstream_auth_failed');
    expect(JSON.stringify(result.body)).not.toContain(UPSTREAM_KEY.slice(-4));
  });

  it('ends a stream that fails mid-way with one error frame and no [DONE]', async () => {
    const response = await fetch(`${gatehouse.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'mid-stream' }] }),
    });
    const text = await response.text();
    responses.push(text);
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toMatch(/^data: \{"error":/);
    expect(frames.filter((frame) => frame.includes('"error"'))).toHaveLength(1);
    expect(text).not.toContain('[DONE]');
    const client = gatehouse.client(MASTER);
    const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'mid-stream' }] });
    await expect(async () => {
      for await (const part of stream) void part;
    }).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('gives up on an upstream stream frame past the 32 MiB limit with an error frame, instead of buffering it', async () => {
    const response = await fetch(`${gatehouse.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'endless-frame' }] }),
    });
    const text = await response.text();
    responses.push(text);
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toMatch(/^data: \{"error":/);
    expect(frames.at(-1)).toMatch(/exceeds the \d+-byte limit/);
    expect(text).not.toContain('[DONE]');
  });

  it('answers 404 in the OpenAI shape for an unknown route', async () => {
    const result = await post('/v1/nothing-here', '{}');
    expect(result.status).toBe(404);
    expectOpenAIError(result.body, 'route_not_found');
  });

  it('never shows the upstream key in a response or a log line', () => {
    expect(responses.length).toBeGreaterThan(10);
    const everything = responses.join('\n') + gatehouse.logs.join('');
    expect(gatehouse.logs.length).toBeGreaterThan(10);
    expect(everything).not.toContain(UPSTREAM_KEY);
    expect(everything).not.toContain(MASTER);
  });
});
