/**
 * The tool loop's model for a deployment that serves Responses natively: each round is one upstream `/responses`
 * call (routed with the usual retries and fallbacks) carrying the whole conversation as items — the request's input,
 * then every earlier round's output and the tool results the loop produced. The round's items and events are
 * rendered as they arrive (streamed events pass through, renumbered); the loop gets the round as a chat answer whose
 * tool calls are the round's function calls.
 */
import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions/completions';
import type { Response } from 'openai/resources/responses/responses';
import type { ResponsesBody, ResponsesClient } from '../../../providers/provider.js';
import { UpstreamStatusError } from '../../../providers/index.js';
import type { Deployment } from '../deployments.js';
import type { Router } from '../router.js';
import type { CallModel, RoundOutcome } from '../tool-loop/index.js';
import { roundBody, type NativeBody } from './native-body.js';
import { replayItem, type NativeItem } from './native-input.js';
import type { NativeItems } from './native-items.js';
import type { UpstreamEventBody } from './response-types.js';
import type { ResponseEmitter } from './stream-emitter.js';
import { fromResponseUsage } from './usage.js';

/** What a prepared response carries for the native path. */
export interface NativeRequest {
  body: NativeBody;
  /** The conversation as upstream input items. */
  items: NativeItem[];
}

export interface NativeModelOptions {
  router: Router;
  modelName: string;
  emitter: ResponseEmitter;
  streaming: boolean;
  /** The client's own function names: their calls are shown and returned, never run. */
  clientNames: ReadonlySet<string>;
  signal: AbortSignal;
  /** An upstream accepted a call (before its first event, for a stream). */
  accepted?: () => Promise<void>;
}

export class NativeModel {
  deployment: Deployment | undefined;
  private readonly items: NativeItem[];
  private round = 0;

  constructor(
    private readonly request: NativeRequest,
    private readonly options: NativeModelOptions,
  ) {
    this.items = [...request.items];
  }

  readonly callModel: CallModel = async (chat) => {
    this.round++;
    this.addToolResults(chat.messages);
    const input = this.items.flatMap((item) => replayItem(item) ?? []);
    const body = roundBody(this.request.body, input, this.round, this.options.streaming);
    const rendered = this.options.emitter.nativeRound((item) => this.isLoopCall(item));
    const response = this.options.streaming ? await this.streamRound(body, rendered) : await this.completeRound(body, rendered);
    this.items.push(...(response.output as unknown as NativeItem[]));
    return roundOutcome(response);
  };

  private async completeRound(body: ResponsesBody, rendered: NativeItems): Promise<Response> {
    const { result, deployment } = await this.options.router.route(this.options.modelName, this.options.signal, false, (target, call) =>
      responsesOf(target).create(body, call),
    );
    this.deployment = deployment;
    await this.options.accepted?.();
    if (result.status === 'failed') throw failure(result);
    for (const item of result.output) await rendered.item(item as unknown as NativeItem);
    return result;
  }

  private async streamRound(body: ResponsesBody, rendered: NativeItems): Promise<Response> {
    const { result: events, deployment } = await this.options.router.route(this.options.modelName, this.options.signal, true, (target, call) =>
      responsesOf(target).stream(body, call),
    );
    this.deployment = deployment;
    await this.options.accepted?.();
    let final: Response | undefined;
    for await (const event of events) {
      if (event.type === 'response.completed' || event.type === 'response.incomplete') final = event.response;
      else if (event.type === 'response.failed') throw failure(event.response);
      await rendered.event(event as unknown as UpstreamEventBody);
    }
    if (!final) throw new UpstreamStatusError(502, 'the upstream Responses stream ended before its terminal event');
    return final;
  }

  private isLoopCall(item: NativeItem): boolean {
    return item.type === 'function_call' && !this.options.clientNames.has(String(item.name));
  }

  /** The loop's tool results (tool messages) as `function_call_output` items, each right after its call. */
  private addToolResults(messages: readonly ChatCompletionMessageParam[]): void {
    const results = new Map<string, string>();
    for (const message of messages) if (message.role === 'tool') results.set(message.tool_call_id, toolText(message.content));
    const answered = new Set(this.items.filter((item) => item.type === 'function_call_output').map((item) => String(item.call_id)));
    for (let index = 0; index < this.items.length; index++) {
      const item = this.items[index];
      const callId = String(item.call_id);
      const output = results.get(callId);
      if (item.type !== 'function_call' || answered.has(callId) || output === undefined) continue;
      this.items.splice(index + 1, 0, { type: 'function_call_output', call_id: callId, output });
      answered.add(callId);
    }
  }
}

function responsesOf(deployment: Deployment): ResponsesClient {
  const client = deployment.client.responses;
  // Only deployments that all serve Responses natively are routed here (prepare-response.ts).
  if (!client) throw new UpstreamStatusError(500, `deployment ${deployment.id} cannot serve /v1/responses natively`);
  return client;
}

function failure(response: Response): UpstreamStatusError {
  const message = response.error?.message ?? 'the upstream response failed';
  return new UpstreamStatusError(502, message, { upstreamCode: response.error?.code });
}

function toolText(content: ChatCompletionMessageParam['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => ('text' in part ? part.text : '')).join('');
}

/** The round as the loop reads it: function (and custom tool) calls as tool_calls, status as a finish_reason. */
function roundOutcome(response: Response): RoundOutcome {
  const toolCalls: ChatCompletionMessageToolCall[] = [];
  let text = '';
  for (const item of response.output) {
    if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
    } else if (item.type === 'custom_tool_call') {
      toolCalls.push({ id: item.call_id, type: 'custom', custom: { name: item.name, input: item.input } });
    } else if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') text += part.text;
    }
  }
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: text === '' ? null : text,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  const reason = response.status === 'incomplete' ? response.incomplete_details?.reason : undefined;
  const finishReason =
    reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content_filter' : toolCalls.length > 0 ? 'tool_calls' : 'stop';
  return {
    answer: { id: response.id, created: Math.floor(response.created_at), model: response.model, message },
    finishReason,
    usage: fromResponseUsage(response.usage),
  };
}
