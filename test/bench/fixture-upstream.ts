/**
 * Bench child process: a fixed OpenAI Chat Completions upstream on node:http (keep-alive).
 * `POST /v1/chat/completions` answers a small `chat.completion`, or with `stream: true` ten
 * `chat.completion.chunk` frames and `data: [DONE]`, all written at once. Payloads are serialised once.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { announceReady } from './child-lifecycle.js';

const CREATED = 1_700_000_000;
const MODEL = 'bench-model';
const WORDS = ['Hello', '!', ' How', ' can', ' I', ' help', ' you', ' today', '?'];

const COMPLETION: ChatCompletion = {
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: CREATED,
  model: MODEL,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: WORDS.join(''), refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
};

function chunk(delta: ChatCompletionChunk.Choice['delta'], finish: 'stop' | null = null): ChatCompletionChunk {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

/** Role chunk, one chunk per word, finish chunk: ten frames. */
const CHUNKS: ChatCompletionChunk[] = [
  chunk({ role: 'assistant', content: '' }),
  ...WORDS.slice(0, 8).map((word) => chunk({ content: word })),
  chunk({ content: WORDS[8] }, 'stop'),
];

const COMPLETION_BODY = Buffer.from(JSON.stringify(COMPLETION));
const FRAMES = CHUNKS.map((item) => Buffer.from(`data: ${JSON.stringify(item)}\n\n`));
const DONE_FRAME = Buffer.from('data: [DONE]\n\n');
const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': String(COMPLETION_BODY.length) };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    let streaming: boolean;
    try {
      streaming = (JSON.parse(Buffer.concat(parts).toString('utf8')) as { stream?: unknown }).stream === true;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid JSON"}}');
      return;
    }
    if (!streaming) {
      res.writeHead(200, JSON_HEADERS).end(COMPLETION_BODY);
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    for (const frame of FRAMES) res.write(frame);
    res.end(DONE_FRAME);
  });
});
// Autocannon and the proxies hold connections open between runs; the default 5 s would drop them mid-bench.
server.keepAliveTimeout = 30_000;

await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
announceReady((server.address() as AddressInfo).port, () => server.close());
