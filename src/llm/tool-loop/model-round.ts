/**
 * One model call of the loop, streamed or not, reduced to the same outcome: the assistant message, its
 * finish_reason and usage. A streamed round passes its chunks on as they arrive, minus the tool-call deltas the
 * client must not see (MCP and unknown functions), with the visible calls' indices renumbered from 0.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatRequest } from '../../../providers/index.js';
import { estimateUsage, type UsageCounter } from '../usage-estimate.js';
import type { FinalAnswer } from './loop-types.js';

export interface RoundOutcome {
  answer: FinalAnswer;
  finishReason: string | null;
  usage: CompletionUsage;
}

/** `countUsage` counts the round when the upstream reported no usage. */
export function completionRound(completion: ChatCompletion, request: ChatRequest, countUsage: UsageCounter = estimateUsage): RoundOutcome {
  const choice = completion.choices[0];
  const message: ChatCompletionMessage = choice?.message ?? { role: 'assistant', content: null, refusal: null };
  return {
    answer: {
      id: completion.id,
      created: completion.created,
      model: completion.model,
      message,
      ...(completion.system_fingerprint ? { systemFingerprint: completion.system_fingerprint } : {}),
    },
    finishReason: choice?.finish_reason ?? null,
    usage: completion.usage ?? countUsage(request, message),
  };
}

interface CallState {
  id: string;
  name: string;
  arguments: string;
  /** Index the client sees, or null when the call is hidden. */
  visible: number | null;
}

/** Consumes one streamed round; `isClientFunction` decides which tool calls stream through. */
export async function streamRound(
  chunks: AsyncIterable<ChatCompletionChunk>,
  request: ChatRequest,
  isClientFunction: (name: string) => boolean,
  emit: (chunk: ChatCompletionChunk) => Promise<void>,
  countUsage: UsageCounter = estimateUsage,
): Promise<RoundOutcome> {
  let first: ChatCompletionChunk | undefined;
  let content = '';
  let refusal = '';
  let finishReason: string | null = null;
  let usage: CompletionUsage | undefined;
  const calls = new Map<number, CallState>();
  let nextVisible = 0;

  for await (const chunk of chunks) {
    first ??= chunk;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) continue;
    const { tool_calls: toolCalls, ...rest } = choice.delta;
    content += rest.content ?? '';
    refusal += rest.refusal ?? '';
    if (choice.finish_reason) finishReason = choice.finish_reason;
    const shown: ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    for (const fragment of toolCalls ?? []) {
      let call = calls.get(fragment.index);
      if (!call) {
        const name = fragment.function?.name ?? '';
        call = { id: fragment.id ?? '', name: '', arguments: '', visible: isClientFunction(name) ? nextVisible++ : null };
        calls.set(fragment.index, call);
      }
      if (fragment.id) call.id = fragment.id;
      call.name += fragment.function?.name ?? '';
      call.arguments += fragment.function?.arguments ?? '';
      if (call.visible !== null) shown.push({ ...fragment, index: call.visible });
    }
    const delta = shown.length > 0 ? { ...rest, tool_calls: shown } : rest;
    // String keys only: a raw upstream frame riding on the chunk (providers/raw-frame.ts) would show hidden calls.
    if (hasContent(delta) || choice.finish_reason) {
      await emit({ ...(Object.fromEntries(Object.entries(chunk)) as ChatCompletionChunk), choices: [{ ...choice, delta }] });
    }
  }

  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: content === '' ? null : content,
    refusal: refusal === '' ? null : refusal,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  return {
    answer: {
      id: first?.id ?? '',
      created: first?.created ?? Math.floor(Date.now() / 1000),
      model: first?.model ?? request.model,
      message,
      ...(first?.system_fingerprint ? { systemFingerprint: first.system_fingerprint } : {}),
    },
    finishReason,
    usage: usage ?? countUsage(request, message),
  };
}

function hasContent(delta: ChatCompletionChunk.Choice.Delta): boolean {
  return Object.values(delta).some((value) => value !== undefined && value !== null);
}
