/**
 * Streaming time to first byte: one keep-alive connection, requests one after another, timed from the
 * call to the first body byte (the first SSE frame; headers alone do not count).
 */
import { Client } from 'undici';
import { CHAT_PATH, REQUEST_BODIES, REQUEST_HEADERS } from './bench-requests.js';
import { percentiles, SampleBuffer } from './percentiles.js';

const TIMEOUT_MS = 10_000;

export interface TtfbSpec {
  port: number;
  warmups: number;
  requests: number;
}

export interface TtfbResult {
  p50Ms: number;
  p99Ms: number;
  count: number;
}

export async function measureTtfb(spec: TtfbSpec): Promise<TtfbResult> {
  const client = new Client(`http://127.0.0.1:${spec.port}`, { headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  const samples = new SampleBuffer();
  try {
    for (let index = 0; index < spec.warmups + spec.requests; index++) {
      const ms = await timeFirstByte(client);
      if (index >= spec.warmups) samples.push(ms);
    }
  } finally {
    await client.close();
  }
  const { p50, p99, count } = percentiles(samples.values());
  return { p50Ms: p50, p99Ms: p99, count };
}

async function timeFirstByte(client: Client): Promise<number> {
  const start = performance.now();
  const { statusCode, body } = await client.request({
    method: 'POST',
    path: CHAT_PATH,
    headers: REQUEST_HEADERS,
    body: REQUEST_BODIES.stream,
  });
  let firstByteAt: number | undefined;
  // Read to the end so the connection is reused for the next request.
  for await (const part of body) {
    if (firstByteAt === undefined && (part as Buffer).length > 0) firstByteAt = performance.now();
  }
  if (statusCode !== 200 || firstByteAt === undefined) throw new Error(`TTFB request answered ${statusCode} with no body`);
  return firstByteAt - start;
}
