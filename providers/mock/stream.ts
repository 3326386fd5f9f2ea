/**
 * Turns a mock answer into `chat.completion.chunk` objects shaped like OpenAI's stream: a role chunk,
 * word-sized content pieces (or tool-call argument fragments), a finish chunk, then the usage chunk on request.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { UpstreamAbortedError } from '../upstream-errors.js';
import type { MockAnswer } from './answer.js';
import type { ResponseMeta } from './completion.js';

/** Tool-call arguments are sent in at most this many fragments. */
const ARGUMENT_FRAGMENTS = 4;

type Delta = ChatCompletionChunk.Choice.Delta;
type FinishReason = ChatCompletionChunk.Choice['finish_reason'];

/** Word-sized pieces (each word with the whitespace after it) that join back to `text`. */
export function splitWords(text: string): string[] {
  return text.match(/\s+|\S+\s*/gu) ?? [];
}

/** Up to `count` pieces of roughly equal length, never splitting a code point. */
function splitEvenly(text: string, count: number): string[] {
  const points = Array.from(text);
  const size = Math.max(1, Math.ceil(points.length / count));
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(''));
  return pieces;
}

function deltasFor(answer: MockAnswer): Delta[] {
  if (answer.kind === 'text') return splitWords(answer.text).map((piece) => ({ content: piece }));
  const first: Delta = {
    tool_calls: [{ index: 0, id: answer.id, type: 'function', function: { name: answer.name, arguments: '' } }],
  };
  const rest = splitEvenly(answer.arguments, ARGUMENT_FRAGMENTS).map(
    (piece): Delta => ({ tool_calls: [{ index: 0, function: { arguments: piece } }] }),
  );
  return [first, ...rest];
}

/** Every chunk of the stream, in order. With `includeUsage`, all but the last carry `usage: null`. */
export function buildChunks(
  answer: MockAnswer,
  meta: ResponseMeta,
  usage: CompletionUsage,
  includeUsage: boolean,
): ChatCompletionChunk[] {
  const chunk = (choices: ChatCompletionChunk.Choice[], chunkUsage: CompletionUsage | null): ChatCompletionChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices,
    ...(includeUsage ? { usage: chunkUsage } : {}),
  });
  const choice = (delta: Delta, finishReason: FinishReason): ChatCompletionChunk.Choice => ({
    index: 0,
    delta,
    finish_reason: finishReason,
    logprobs: null,
  });
  const finishReason = answer.kind === 'text' ? answer.finishReason : 'tool_calls';
  const chunks = [
    chunk([choice({ role: 'assistant', content: '' }, null)], null),
    ...deltasFor(answer).map((delta) => chunk([choice(delta, null)], null)),
    chunk([choice({}, finishReason)], null),
  ];
  if (includeUsage) chunks.push(chunk([], usage));
  return chunks;
}

/** Yields `chunks`, stopping with `UpstreamAbortedError` as soon as `signal` aborts. */
export async function* streamChunks(
  chunks: readonly ChatCompletionChunk[],
  signal: AbortSignal,
): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of chunks) {
    if (signal.aborted) throw new UpstreamAbortedError('The mock stream was aborted by the caller');
    yield chunk;
  }
}
