/**
 * The router as the tool loop's model for one response: remembers the deployment that answered last (for
 * `x-litellm-model-id`), says when an upstream accepted a call, and shows each non-streamed completion to the
 * emitter as a one-chunk stream, so both paths build their output items with the same code.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../../../providers/index.js';
import type { Deployment } from '../deployments.js';
import type { Router } from '../router.js';
import type { LoopModel } from '../tool-loop/loop-types.js';

export interface ResponseModelHooks {
  /** An upstream accepted a call (before its first chunk, for a stream). */
  accepted?: () => Promise<void>;
  completed?: (completion: ChatCompletion) => Promise<void>;
}

export class ResponseModel implements LoopModel {
  deployment: Deployment | undefined;

  constructor(
    private readonly router: Router,
    private readonly hooks: ResponseModelHooks,
  ) {}

  async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatCompletion> {
    const { result, deployment } = await this.router.complete(request, signal);
    this.deployment = deployment;
    await this.hooks.accepted?.();
    await this.hooks.completed?.(result);
    return result;
  }

  async stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>> {
    const { result, deployment } = await this.router.stream(request, signal);
    this.deployment = deployment;
    await this.hooks.accepted?.();
    return result;
  }
}

/**
 * A completion as the one chunk a stream of it would add up to. Only the client's own function calls are kept
 * (renumbered from 0), as the streaming loop passes them on; MCP calls are reported by the loop itself.
 */
export function completionAsChunk(completion: ChatCompletion, isClientFunction: (name: string) => boolean): ChatCompletionChunk {
  const choice = completion.choices[0];
  const message = choice?.message;
  const calls = (message?.tool_calls ?? []).filter((call) => call.type === 'function' && isClientFunction(call.function.name));
  const delta: ChatCompletionChunk.Choice.Delta = { role: 'assistant' };
  if (message?.content) delta.content = message.content;
  if (message?.refusal) delta.refusal = message.refusal;
  if (calls.length > 0) {
    delta.tool_calls = calls.flatMap((call, index) =>
      call.type === 'function'
        ? [{ index, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }]
        : [],
    );
  }
  return {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    choices: [{ index: 0, delta, finish_reason: choice?.finish_reason ?? null, logprobs: null }],
  };
}
