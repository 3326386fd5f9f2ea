/**
 * `npm run bench -- --clients`: what one upstream call costs the calling process, per HTTP client we could
 * use for OpenAI-compatible upstreams (undici.Pool, Node's fetch, undici 7's fetch, the `openai` SDK on each),
 * measured sequentially against the fixture. CPU is the bench process's own (all threads).
 */
import OpenAI from 'openai';
import { Agent, Pool, fetch as undiciFetch } from 'undici';
import { CHAT_PATH, REQUEST_BODIES, REQUEST_HEADERS } from './bench-requests.js';
import { startForeignCpuMeter } from './process-cpu.js';

const WARMUPS = 1_000;
const CALLS = 2_000;
const TIMEOUT_MS = 10_000;

type Fetch = typeof globalThis.fetch;

export async function measureClientCost(
  fixture: { port: number; pid: number | undefined },
  log: (line: string) => void,
): Promise<string> {
  const fixturePort = fixture.port;
  const origin = `http://127.0.0.1:${fixturePort}`;
  const url = `${origin}${CHAT_PATH}`;
  const pool = new Pool(origin);
  const agent = new Agent();
  const viaUndici7 = ((input: string, init: RequestInit) =>
    undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Fetch;
  // The same options as providers/openai.ts, so the SDK does the same work per call.
  const sdk = (fetch?: Fetch) =>
    new OpenAI({
      apiKey: 'sk-bench',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      baseURL: `${origin}/v1`,
      maxRetries: 0,
      logLevel: 'off',
      fetch,
    });
  const sdkGlobal = sdk();
  const sdkUndici7 = sdk(viaUndici7);
  const params = { model: 'bench-model', messages: [{ role: 'user' as const, content: 'hello' }] };
  const callOptions = () => ({ signal: new AbortController().signal, timeout: TIMEOUT_MS, maxRetries: 0 });
  const post = (body: string) => ({ method: 'POST', headers: REQUEST_HEADERS, body });
  const countFrames = (text: string) => {
    let frames = 0;
    for (const frame of text.split('\n\n')) {
      if (frame.startsWith('data: {')) {
        JSON.parse(frame.slice(6));
        frames++;
      }
    }
    return frames;
  };
  const iterate = async (stream: AsyncIterable<unknown>) => {
    let chunks = 0;
    for await (const _chunk of stream) chunks++;
    return chunks;
  };

  const cases: ReadonlyArray<[string, () => Promise<unknown>]> = [
    ['json    undici Pool.request + JSON.parse', async () => {
      const response = await pool.request({ ...post(REQUEST_BODIES.json), path: CHAT_PATH });
      return JSON.parse(await response.body.text());
    }],
    ['json    fetch (Node 20 built-in) + json()', async () => (await fetch(url, post(REQUEST_BODIES.json))).json()],
    ['json    undici 7 fetch + json()', async () => (await viaUndici7(url, post(REQUEST_BODIES.json))).json()],
    ['json    openai SDK on built-in fetch', () => sdkGlobal.chat.completions.create({ ...params, stream: false }, callOptions())],
    ['json    openai SDK on undici 7 fetch', () => sdkUndici7.chat.completions.create({ ...params, stream: false }, callOptions())],
    ['stream  undici Pool.request + split + JSON.parse', async () => {
      const response = await pool.request({ ...post(REQUEST_BODIES.stream), path: CHAT_PATH });
      return countFrames(await response.body.text());
    }],
    ['stream  openai SDK on built-in fetch, iterate', async () =>
      iterate(await sdkGlobal.chat.completions.create({ ...params, stream: true }, callOptions()))],
    ['stream  openai SDK on undici 7 fetch, iterate', async () =>
      iterate(await sdkUndici7.chat.completions.create({ ...params, stream: true }, callOptions()))],
  ];

  const lines = [`Upstream client cost, ${CALLS} sequential calls each after ${WARMUPS} warm-up calls:`];
  lines.push(`${'client'.padEnd(50)} ${'wall us/call'.padStart(12)} ${'CPU us/call'.padStart(12)}`);
  const foreignCpuMs = startForeignCpuMeter([fixture.pid]);
  try {
    for (const [name, call] of cases) {
      for (let index = 0; index < WARMUPS; index++) await call();
      const cpuBefore = process.cpuUsage();
      const startedAt = performance.now();
      for (let index = 0; index < CALLS; index++) await call();
      const cpu = process.cpuUsage(cpuBefore);
      const wallUs = ((performance.now() - startedAt) * 1000) / CALLS;
      const cpuUs = (cpu.user + cpu.system) / CALLS;
      log(`${name}: ${cpuUs.toFixed(0)} us CPU per call`);
      lines.push(`${name.padEnd(50)} ${wallUs.toFixed(0).padStart(12)} ${cpuUs.toFixed(0).padStart(12)}`);
    }
  } finally {
    await pool.close();
    await agent.close();
  }
  const foreign = foreignCpuMs();
  if (foreign !== undefined) lines.push(`Other processes on the box used ${(foreign / 1000).toFixed(1)} CPU-s meanwhile.`);
  return lines.join('\n') + '\n';
}
