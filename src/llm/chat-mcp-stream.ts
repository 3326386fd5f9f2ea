/**
 * Renders a streaming tool loop as one valid `chat.completion.chunk` sequence: one id, one role delta, text and
 * client function-call deltas as they arrive in every round, `mcp_tool_calls` on a delta after each MCP call,
 * one final chunk with the finish_reason, the usage chunk summed over rounds (when asked for), one `[DONE]`.
 * The SSE response opens with the first chunk, so failures before it are ordinary HTTP errors.
 */
import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { toOpenAIErrorBody, type GatehouseError } from '../http/errors.js';
import { SseWriter } from '../http/sse.js';
import { chatFinishReason, chatMcpToolCalls, endedMidTurn, executedCall, limitReached, type ChatMcpToolCall } from './chat-mcp-extension.js';
import type { LoopEvent, LoopResult } from './tool-loop/loop-types.js';

type Delta = ChatCompletionChunk.Choice.Delta & { mcp_tool_calls?: ChatMcpToolCall[]; mcp_limit_reached?: string };

export class ChatLoopStream {
  private sse: SseWriter | undefined;
  private head: { id: string; created: number; model: string } | undefined;
  private roleSent = false;
  private readonly streamedCallIds = new Set<string>();
  private nextToolIndex = 0;
  private readonly executed: ChatMcpToolCall[] = [];

  constructor(
    private readonly res: ServerResponse,
    /** Called once, just before the first byte: takes over the response and gives the headers to send. */
    private readonly open: () => Record<string, string>,
    private readonly wantsUsage: boolean,
  ) {}

  get opened(): boolean {
    return this.sse !== undefined;
  }

  readonly onEvent = async (event: LoopEvent): Promise<void> => {
    if (event.type === 'chunk') {
      const choice = event.chunk.choices.find((candidate) => candidate.index === 0);
      if (!choice) return;
      this.head ??= { id: event.chunk.id, created: event.chunk.created, model: event.chunk.model };
      const { role: _role, ...delta } = choice.delta;
      for (const call of delta.tool_calls ?? []) {
        if (call.id) this.streamedCallIds.add(call.id);
        this.nextToolIndex = Math.max(this.nextToolIndex, call.index + 1);
      }
      if (Object.values(delta).some((value) => value !== undefined && value !== null)) await this.write(delta, null);
    } else if (event.type === 'mcp_call_finished') {
      this.executed.push(executedCall(event.call));
      // The whole list each time: the SDK's stream helper keeps the last value of a delta's extra field. Calls run
      // before the first model chunk (a resumed round) are only reported in the final chunk.
      if (this.head) await this.write({ mcp_tool_calls: [...this.executed] }, null);
    }
  };

  async finish(result: LoopResult): Promise<void> {
    this.head ??= { id: result.final.id, created: result.final.created, model: result.final.model };
    const limit = limitReached(result);
    if (!endedMidTurn(result)) {
      // A stopped round's hidden calls (MCP calls needing approval or deferred) go back as ordinary tool_calls.
      for (const call of result.final.message.tool_calls ?? []) {
        if (call.type !== 'function' || this.streamedCallIds.has(call.id)) continue;
        const toolCall = { index: this.nextToolIndex++, id: call.id, type: 'function' as const, function: call.function };
        await this.write({ tool_calls: [toolCall] }, null);
      }
    }
    const extension: Delta = { mcp_tool_calls: chatMcpToolCalls(result), ...(limit ? { mcp_limit_reached: limit } : {}) };
    await this.write(extension, chatFinishReason(result));
    if (this.wantsUsage) await this.writeUsage(result.usage);
    this.sse?.done();
  }

  /** A failure after the stream opened is one error frame, then the end (no `[DONE]`). */
  async fail(error: GatehouseError): Promise<void> {
    if (!this.sse || this.sse.closed) return;
    await this.sse.data(JSON.stringify(toOpenAIErrorBody(error)));
    this.sse.end();
  }

  private async write(delta: Delta, finishReason: ChatCompletionChunk.Choice['finish_reason']): Promise<void> {
    const sse = this.sseWriter();
    if (sse.closed) return;
    const head = this.head!; // set by the first chunk or by finish(), before any write
    const withRole: Delta = this.roleSent ? delta : { role: 'assistant', ...delta };
    this.roleSent = true;
    const chunk = {
      id: head.id,
      object: 'chat.completion.chunk',
      created: head.created,
      model: head.model,
      choices: [{ index: 0, delta: withRole, finish_reason: finishReason, logprobs: null }],
      ...(this.wantsUsage ? { usage: null } : {}),
    };
    await sse.data(JSON.stringify(chunk));
  }

  private async writeUsage(usage: CompletionUsage): Promise<void> {
    const head = this.head!;
    const chunk = { id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model, choices: [], usage };
    await this.sseWriter().data(JSON.stringify(chunk));
  }

  private sseWriter(): SseWriter {
    if (!this.sse) {
      this.sse = new SseWriter(this.res);
      this.sse.open(this.open());
    }
    return this.sse;
  }
}
