/** Before timing anything, proves a target answers both request kinds correctly: fast errors are not throughput. */
import { CHAT_PATH, REQUEST_BODIES, REQUEST_HEADERS } from './bench-requests.js';

const TIMEOUT_MS = 5_000;

export async function smokeCheck(name: string, port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}${CHAT_PATH}`;
  const post = async (body: string) => {
    const response = await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: response.status, text: await response.text() };
  };
  const json = await post(REQUEST_BODIES.json);
  if (json.status !== 200 || !json.text.includes('"chat.completion"')) {
    throw new Error(`${name} answered the non-streaming request with ${json.status}: ${json.text.slice(0, 500)}`);
  }
  const stream = await post(REQUEST_BODIES.stream);
  const frames = stream.text.split('\n\n').filter((frame) => frame.startsWith('data: '));
  if (stream.status !== 200 || frames.length < 11 || frames.at(-1) !== 'data: [DONE]') {
    throw new Error(`${name} answered the streaming request with ${stream.status}: ${stream.text.slice(0, 500)}`);
  }
}
