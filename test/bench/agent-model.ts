/**
 * Bench child process: a scripted OpenAI Chat Completions model on node:http (keep-alive) for the agent-loop
 * case. Asked `tool rounds: N`, it calls the first tool it is offered (`add`, arguments `{"a": k, "b": 1}`)
 * while the conversation holds fewer than N tool results, then answers with text. Non-streaming only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { finalAnswer, roundsOf } from './agent-wire.js';
import { announceReady } from './child-lifecycle.js';

const CREATED = 1_700_000_000;
const USAGE = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 };

interface ChatBody {
  messages?: ChatCompletionMessageParam[];
  tools?: Array<{ type?: string; function?: { name?: string } }>;
  stream?: boolean;
}

function reply(body: ChatBody): ChatCompletion | string {
  const messages = body.messages ?? [];
  const user = messages.find((message) => message.role === 'user');
  const rounds = roundsOf(typeof user?.content === 'string' ? user.content : '');
  const done = messages.filter((message) => message.role === 'tool').length;
  const tool = body.tools?.find((candidate) => candidate.type === 'function')?.function?.name;
  if (body.stream === true) return 'the agent model fixture does not stream';
  if (done < rounds && tool === undefined) return 'the agent model fixture was offered no tool to call';
  const message: ChatCompletion.Choice['message'] =
    done < rounds
      ? {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: `call_${done + 1}`, type: 'function', function: { name: tool ?? '', arguments: `{"a":${done + 1},"b":1}` } }],
        }
      : { role: 'assistant', content: finalAnswer(rounds), refusal: null };
  return {
    id: `chatcmpl-agent-${done}`,
    object: 'chat.completion',
    created: CREATED,
    model: 'bench-agent-model',
    choices: [{ index: 0, message, finish_reason: done < rounds ? 'tool_calls' : 'stop', logprobs: null }],
    usage: USAGE,
  };
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    let answer: ChatCompletion | string;
    try {
      answer = reply(JSON.parse(Buffer.concat(parts).toString('utf8')) as ChatBody);
    } catch {
      answer = 'invalid JSON';
    }
    if (typeof answer === 'string') {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: answer } }));
      return;
    }
    const text = JSON.stringify(answer);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  });
});
// Gatehouse and the bench hold connections open between slices; the default 5 s would drop them.
server.keepAliveTimeout = 30_000;

await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
announceReady((server.address() as AddressInfo).port, () => server.close());
