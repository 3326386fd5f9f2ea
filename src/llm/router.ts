/**
 * Picks deployments for a model name and owns every retry decision: weighted shuffle over the group,
 * `num_retries` attempts with exponential backoff on 429/5xx/timeouts/connection errors, each deployment's
 * own `max_retries`, then `fallbacks` to other model names. Providers never retry on their own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import {
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
  type CallOptions,
  type ChatRequest,
} from '../../providers/index.js';
import {
  DEFAULT_NUM_RETRIES,
  MAX_HONOURED_RETRY_AFTER_S,
  RETRY_BACKOFF_BASE_MS,
  RETRY_BACKOFF_CAP_MS,
} from '../config/defaults.js';
import type { Config } from '../config/schema.js';
import { ModelNotFoundError, UpstreamCredentialMissingError } from '../http/errors.js';
import type { Deployment, DeploymentTable } from './deployments.js';
import { toClientError } from './upstream-error-mapping.js';

export interface RouterOptions {
  numRetries: number;
  /** Minimum wait between retries (`router_settings.retry_after`, seconds → ms). */
  minRetryDelayMs: number;
  fallbacks: ReadonlyMap<string, readonly string[]>;
  defaultFallbacks: readonly string[];
  /** Injectable for deterministic tests. */
  random: () => number;
}

export interface Routed<T> {
  result: T;
  deployment: Deployment;
}

export function routerOptionsFromConfig(config: Config): RouterOptions {
  const fallbacks = new Map<string, string[]>();
  for (const list of [config.litellm_settings?.fallbacks, config.router_settings?.fallbacks]) {
    for (const mapping of list ?? []) {
      for (const [from, to] of Object.entries(mapping)) fallbacks.set(from, to);
    }
  }
  return {
    numRetries: config.router_settings?.num_retries ?? config.litellm_settings?.num_retries ?? DEFAULT_NUM_RETRIES,
    minRetryDelayMs: (config.router_settings?.retry_after ?? 0) * 1000,
    fallbacks,
    defaultFallbacks: config.router_settings?.default_fallbacks ?? config.litellm_settings?.default_fallbacks ?? [],
    random: Math.random,
  };
}

export class Router {
  constructor(
    private readonly table: DeploymentTable,
    private readonly options: RouterOptions,
  ) {}

  complete(request: ChatRequest, signal: AbortSignal): Promise<Routed<ChatCompletion>> {
    return this.run(request.model, signal, (deployment, options) => deployment.client.complete(request, options), false);
  }

  /** Resolves when an upstream accepted the stream; failures before that are retried and fall back. */
  stream(request: ChatRequest, signal: AbortSignal): Promise<Routed<AsyncIterable<ChatCompletionChunk>>> {
    return this.run(request.model, signal, (deployment, options) => deployment.client.stream(request, options), true);
  }

  /** Any call on `modelName`'s deployments with the same retries and fallbacks (the native Responses path). */
  route<T>(
    modelName: string,
    signal: AbortSignal,
    streaming: boolean,
    call: (deployment: Deployment, options: CallOptions) => Promise<T>,
  ): Promise<Routed<T>> {
    return this.run(modelName, signal, call, streaming);
  }

  /** Every deployment a request for `modelName` may reach: its group's, then its fallbacks'. */
  reachable(modelName: string): Deployment[] {
    const names = [modelName, ...(this.options.fallbacks.get(modelName) ?? this.options.defaultFallbacks)];
    return names.flatMap((name) => this.table.get(name)?.deployments ?? []);
  }

  private async run<T>(
    modelName: string,
    signal: AbortSignal,
    call: (deployment: Deployment, options: CallOptions) => Promise<T>,
    streaming: boolean,
  ): Promise<Routed<T>> {
    const requested = this.table.get(modelName);
    if (!requested) {
      throw new ModelNotFoundError(`The model \`${modelName}\` does not exist or is not configured on this proxy.`, {
        param: 'model',
      });
    }
    const names = [modelName, ...(this.options.fallbacks.get(modelName) ?? this.options.defaultFallbacks)];
    let lastError: unknown;
    let lastDeployment: Deployment | undefined;
    let retriesLeft = this.options.numRetries;

    for (const name of names) {
      const group = this.table.get(name);
      if (!group) continue;
      const usable = group.deployments.filter((deployment) => deployment.missingCredential === undefined);
      if (usable.length === 0) {
        if (name === modelName) {
          const variable = group.deployments[0].missingCredential;
          throw new UpstreamCredentialMissingError(
            `Model \`${modelName}\` has no upstream credential: environment variable ${variable} is not set on the proxy.`,
          );
        }
        continue;
      }
      const order = this.shuffle(usable);
      for (let attempt = 0; ; attempt++) {
        const deployment = order[attempt % order.length];
        lastDeployment = deployment;
        const outcome = await this.tryDeployment(deployment, call, signal, streaming);
        if (outcome.ok) return { result: outcome.value, deployment };
        lastError = outcome.error;
        if (!isRetriable(outcome.error)) throw toClientError(outcome.error, deployment);
        if (retriesLeft <= 0 || !this.honoursRetryAfter(outcome.error)) break;
        retriesLeft--;
        await this.backoff(this.options.numRetries - retriesLeft - 1, outcome.error, signal);
      }
    }
    throw toClientError(lastError, lastDeployment);
  }

  /** One router attempt: the deployment's own `max_retries` tries back to back with backoff. */
  private async tryDeployment<T>(
    deployment: Deployment,
    call: (deployment: Deployment, options: CallOptions) => Promise<T>,
    signal: AbortSignal,
    streaming: boolean,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const timeoutMs = streaming ? deployment.streamTimeoutMs : deployment.timeoutMs;
    let error: unknown;
    for (let tryNumber = 0; tryNumber <= deployment.maxRetries; tryNumber++) {
      if (signal.aborted) return { ok: false, error: new UpstreamAbortedError('request aborted by the client') };
      try {
        return { ok: true, value: await call(deployment, { signal, timeoutMs }) };
      } catch (caught) {
        error = caught;
        if (!isRetriable(caught) || tryNumber === deployment.maxRetries || !this.honoursRetryAfter(caught)) break;
        await this.backoff(tryNumber, caught, signal);
      }
    }
    return { ok: false, error };
  }

  private honoursRetryAfter(error: unknown): boolean {
    const wait = error instanceof UpstreamStatusError ? error.details.retryAfterSeconds : undefined;
    return wait === undefined || wait <= MAX_HONOURED_RETRY_AFTER_S;
  }

  private async backoff(retryIndex: number, error: unknown, signal: AbortSignal): Promise<void> {
    const exponential = Math.min(RETRY_BACKOFF_CAP_MS, RETRY_BACKOFF_BASE_MS * 2 ** retryIndex);
    const jittered = exponential * (0.5 + this.options.random() / 2);
    const asked = error instanceof UpstreamStatusError ? (error.details.retryAfterSeconds ?? 0) * 1000 : 0;
    const delay = Math.max(this.options.minRetryDelayMs, asked, jittered);
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      // Aborted while waiting: the next attempt sees `signal.aborted` and stops.
    }
  }

  /** Weighted random order (Efraimidis–Spirakis keys), so `weight` skews which deployment goes first. */
  private shuffle(deployments: Deployment[]): Deployment[] {
    if (deployments.length === 1) return deployments;
    return deployments
      .map((deployment) => ({ deployment, key: this.options.random() ** (1 / deployment.weight) }))
      .sort((a, b) => b.key - a.key)
      .map((entry) => entry.deployment);
  }
}

function isRetriable(error: unknown): boolean {
  if (error instanceof UpstreamTimeoutError || error instanceof UpstreamConnectionError) return true;
  if (error instanceof UpstreamStatusError) {
    return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  }
  return false;
}
