/**
 * The router as the tool loop's model: remembers the deployment that answered last (for `x-litellm-model-id`)
 * and tells an endpoint when an upstream accepted a call or completed one, if it wants to know.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../../providers/index.js';
import type { Deployment } from './deployments.js';
import type { Router } from './router.js';
import type { LoopModel } from './tool-loop/loop-types.js';

export interface RoutedModelHooks {
  /** An upstream accepted a call (before its first chunk, for a stream). */
  accepted?: () => Promise<void>;
  completed?: (completion: ChatCompletion) => Promise<void>;
}

export class RoutedModel implements LoopModel {
  deployment: Deployment | undefined;

  constructor(
    private readonly router: Router,
    private readonly hooks: RoutedModelHooks = {},
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
