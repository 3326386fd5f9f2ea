/**
 * Issue #4 point 3: the loop's decisions with a fake model and fake tool sources — approvals, deferred calls,
 * limits, pending calls, per-call timeouts, usage, and what a streamed round lets through.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../../providers/index.js';
import { RAW_FRAME, rawFrameOf } from '../../../../providers/raw-frame.js';
import { McpToolNotAllowedError } from '../../../../src/http/errors.js';
import type { LoopEvent, LoopInput, LoopModel, LoopTool, LoopToolset, ToolSource } from '../../../../src/llm/tool-loop/loop-types.js';
import { runToolLoop, streamToolLoop } from '../../../../src/llm/tool-loop/run-loop.js';
import { ToolSchemas } from '../../../../src/llm/tool-loop/tool-schemas.js';

const schemas = new ToolSchemas();
const USAGE: CompletionUsage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } };

interface Turn {
  content?: string;
  calls?: [id: string, name: string, args?: string][];
}

function toolCalls(turn: Turn): ChatCompletionMessageFunctionToolCall[] {
  return (turn.calls ?? []).map(([id, name, args]) => ({ id, type: 'function', function: { name, arguments: args ?? '{}' } }));
}

/** A model answering each request with `script(request)`, as a completion or as chunks. */
function fakeModel(script: (request: ChatRequest) => Turn): LoopModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    async complete(request) {
      requests.push(request);
      const turn = script(request);
      const calls = toolCalls(turn);
      const completion: ChatCompletion = {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 1,
        model: 'fake',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: turn.content ?? null, refusal: null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
            finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
            logprobs: null,
          },
        ],
        usage: USAGE,
      };
      return completion;
    },
    async stream(request) {
      requests.push(request);
      const turn = script(request);
      const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion.chunk',
        created: 1,
        model: 'fake',
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      });
      const chunks = [chunk({ role: 'assistant', content: turn.content ?? '' })];
      toolCalls(turn).forEach((call, index) => {
        chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
        chunks.push(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }));
      });
      chunks.push(chunk({}, (turn.calls?.length ?? 0) > 0 ? 'tool_calls' : 'stop'));
      chunks.push({ ...chunk({}), choices: [], usage: USAGE });
      return (async function* () {
        yield* chunks;
      })();
    },
  };
}

function source(run: (name: string, args: Record<string, unknown>, signal: AbortSignal) => Promise<CallToolResult>): ToolSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    listTools: async () => [],
    callTool: (name, args, { signal }) => {
      calls.push(name);
      return run(name, args, signal);
    },
  };
}

const echoSource = () => source(async (name, args) => ({ content: [{ type: 'text', text: `${name}:${JSON.stringify(args)}` }] }));

function loopTool(name: string, src: ToolSource, needsApproval = false): LoopTool {
  const inputSchema = { type: 'object', properties: { key: { type: 'string' } } };
  return { functionName: `s__${name}`, serverLabel: 's', name, inputSchema, source: src, needsApproval, schema: schemas.prepare(inputSchema) };
}

function toolset(...tools: LoopTool[]): LoopToolset {
  return {
    tools,
    byFunctionName: new Map(tools.map((tool) => [tool.functionName, tool])),
    functions: tools.map((tool) => ({ type: 'function', function: { name: tool.functionName, parameters: tool.schema.parameters } })),
    listings: [],
  };
}

function input(tools: LoopToolset, overrides: Partial<LoopInput> = {}, request: Partial<ChatRequest> = {}): LoopInput {
  return {
    request: { model: 'fake', messages: [{ role: 'user', content: 'go' }], ...request },
    toolset: tools,
    limits: { maxRounds: 10, callTimeoutMs: 1_000, outputMaxChars: 1_000 },
    runApprovedWhenStopping: false,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const toolResults = (request: ChatRequest) => request.messages.filter((message) => message.role === 'tool').length;

describe('runToolLoop', () => {
  it('runs approved calls, feeds results back and sums usage over rounds', async () => {
    const src = echoSource();
    const model = fakeModel((request) => (toolResults(request) === 0 ? { calls: [['c1', 's__a', '{"key":"x"}'], ['c2', 's__b']] } : { content: 'done' }));
    const result = await runToolLoop(model, input(toolset(loopTool('a', src), loopTool('b', src))));
    expect(result.stop).toBe('completed');
    expect(result.final.message.content).toBe('done');
    expect(result.rounds).toBe(1);
    expect(result.calls.map((call) => [call.toolCallId, call.status, call.output])).toEqual([
      ['c1', 'completed', 'a:{"key":"x"}'],
      ['c2', 'completed', 'b:{}'],
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, prompt_tokens_details: { cached_tokens: 4 } });
    expect(model.requests[1].messages.slice(-3).map((message) => message.role)).toEqual(['assistant', 'tool', 'tool']);
    expect(model.requests[0].stream).toBe(false);
  });

  it('a round with a client function call or a call needing approval stops; approved MCP calls are deferred for chat', async () => {
    const src = echoSource();
    const events: LoopEvent[] = [];
    const model = fakeModel(() => ({ calls: [['c1', 'client_fn'], ['c2', 's__auto'], ['c3', 's__ask']] }));
    const tools = toolset(loopTool('auto', src), loopTool('ask', src, true));
    const clientTool = { type: 'function' as const, function: { name: 'client_fn' } };
    const result = await runToolLoop(model, input(tools, { onEvent: (event) => void events.push(event) }, { tools: [clientTool] }));
    expect(result.stop).toBe('approval_required');
    expect(src.calls).toEqual([]);
    expect(result.approvalRequests).toEqual([
      { id: expect.stringMatching(/^mcpr_/), toolCallId: 'c3', serverLabel: 's', name: 'ask', functionName: 's__ask', arguments: '{}' },
    ]);
    expect(result.deferredCalls).toEqual([{ toolCallId: 'c2', serverLabel: 's', name: 'auto', functionName: 's__auto', arguments: '{}' }]);
    expect(events.filter((event) => event.type === 'approval_requested')).toHaveLength(1);
    // The model sees the client's own tools and the MCP functions together.
    expect(model.requests[0].tools?.map((tool) => (tool.type === 'function' ? tool.function.name : ''))).toEqual(['client_fn', 's__auto', 's__ask']);
  });

  it('with runApprovedWhenStopping (Responses), the approved calls of a stopping round run first', async () => {
    const src = echoSource();
    const model = fakeModel(() => ({ calls: [['c2', 's__auto'], ['c3', 's__ask']] }));
    const result = await runToolLoop(model, input(toolset(loopTool('auto', src), loopTool('ask', src, true)), { runApprovedWhenStopping: true }));
    expect(result.stop).toBe('approval_required');
    expect(src.calls).toEqual(['auto']);
    expect(result.deferredCalls).toEqual([]);
    expect(result.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'c2' });
  });

  it('stops before a round that would exceed max_tool_calls', async () => {
    const src = echoSource();
    const model = fakeModel((request) => ({ calls: [[`x${toolResults(request)}`, 's__a'], [`y${toolResults(request)}`, 's__a']] }));
    const result = await runToolLoop(model, input(toolset(loopTool('a', src)), { limits: { maxRounds: 10, maxToolCalls: 3, callTimeoutMs: 1_000, outputMaxChars: 100 } }));
    expect(result.stop).toBe('max_tool_calls');
    expect(src.calls).toHaveLength(2);
    expect(model.requests).toHaveLength(2);
  });

  it('stops after maxRounds rounds of tool execution', async () => {
    const src = echoSource();
    const model = fakeModel((request) => ({ calls: [[`c${toolResults(request)}`, 's__a']] }));
    const result = await runToolLoop(model, input(toolset(loopTool('a', src)), { limits: { maxRounds: 3, callTimeoutMs: 1_000, outputMaxChars: 100 } }));
    expect(result.stop).toBe('max_rounds');
    expect(result.rounds).toBe(3);
    expect(src.calls).toHaveLength(3);
    expect(model.requests).toHaveLength(4);
  });

  it('runs pending (already approved) calls before the first model call', async () => {
    const src = echoSource();
    const model = fakeModel(() => ({ content: 'ok' }));
    const messages = [
      { role: 'user' as const, content: 'go' },
      { role: 'assistant' as const, content: null, tool_calls: toolCalls({ calls: [['p1', 's__a', '{"key":"k"}']] }) },
    ];
    const result = await runToolLoop(
      model,
      input(toolset(loopTool('a', src)), { pending: [{ toolCallId: 'p1', functionName: 's__a', arguments: '{"key":"k"}', approvalRequestId: 'mcpr_1' }] }, { messages }),
    );
    expect(result.calls[0]).toMatchObject({ toolCallId: 'p1', status: 'completed', approvalRequestId: 'mcpr_1' });
    expect(model.requests[0].messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'p1', content: 'a:{"key":"k"}' });
  });

  it('a forced tool_choice applies to the first round only', async () => {
    const model = fakeModel((request) => (toolResults(request) === 0 ? { calls: [['c1', 's__a']] } : { content: 'ok' }));
    await runToolLoop(model, input(toolset(loopTool('a', echoSource())), {}, { tool_choice: 'required' }));
    expect(model.requests.map((request) => request.tool_choice)).toEqual(['required', 'auto']);
  });

  it('a call that outlives the per-call timeout fails with a timeout and its signal is aborted', async () => {
    let aborted = false;
    const hanging = source((_name, _args, signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise<CallToolResult>(() => undefined);
    });
    const model = fakeModel((request) => (toolResults(request) === 0 ? { calls: [['c1', 's__a']] } : { content: 'ok' }));
    const result = await runToolLoop(model, input(toolset(loopTool('a', hanging)), { limits: { maxRounds: 10, callTimeoutMs: 50, outputMaxChars: 100 } }));
    expect(result.calls[0]).toMatchObject({ status: 'failed', error: { type: 'mcp_protocol_error', code: -32001 } });
    expect(aborted).toBe(true);
  });

  it('refusals and isError results become failed calls the model reads', async () => {
    const refusing = source(async (name) => {
      if (name === 'a') throw new McpToolNotAllowedError('not allowed');
      return { isError: true, content: [{ type: 'text', text: 'broken' }] };
    });
    const model = fakeModel((request) => (toolResults(request) === 0 ? { calls: [['c1', 's__a'], ['c2', 's__b']] } : { content: 'ok' }));
    const result = await runToolLoop(model, input(toolset(loopTool('a', refusing), loopTool('b', refusing))));
    expect(result.calls.map((call) => call.error)).toEqual([
      { type: 'http_error', code: 403, message: 'not allowed' },
      { type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'broken' }] },
    ]);
    expect(model.requests[1].messages.slice(-2)).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: 'Tool error: not allowed' },
      { role: 'tool', tool_call_id: 'c2', content: 'Tool error: broken' },
    ]);
  });
});

describe('streamToolLoop', () => {
  it('passes text and client call deltas on (renumbered), hides MCP call deltas, and reports calls as events', async () => {
    const src = echoSource();
    const model = fakeModel((request) =>
      toolResults(request) === 0 ? { content: 'Looking. ', calls: [['c1', 's__a'], ['c2', 'client_fn']] } : { content: 'never reached' },
    );
    const events: LoopEvent[] = [];
    const clientTool = { type: 'function' as const, function: { name: 'client_fn' } };
    const result = await streamToolLoop(model, input(toolset(loopTool('a', src)), { onEvent: (event) => void events.push(event) }, { tools: [clientTool] }));
    expect(result.stop).toBe('completed');
    expect(result.deferredCalls.map((call) => call.toolCallId)).toEqual(['c1']);
    const deltas = events.flatMap((event) => (event.type === 'chunk' ? event.chunk.choices.map((choice) => choice.delta) : []));
    expect(deltas.map((delta) => delta.content).join('')).toBe('Looking. ');
    const shownCalls = deltas.flatMap((delta) => delta.tool_calls ?? []);
    expect(shownCalls).toEqual([
      { index: 0, id: 'c2', type: 'function', function: { name: 'client_fn', arguments: '' } },
      { index: 0, function: { arguments: '{}' } },
    ]);
    // Every round asks for usage, and the assembled message keeps every call in the upstream's order.
    expect(model.requests[0].stream_options).toEqual({ include_usage: true });
    expect(result.final.message.tool_calls?.map((call) => call.id)).toEqual(['c1', 'c2']);
    expect(result.usage.total_tokens).toBe(15);
  });

  it('never passes on a raw upstream frame, which would show the hidden calls', async () => {
    const model = fakeModel((request) => (toolResults(request) === 0 ? { calls: [['c1', 's__a']] } : { content: 'done' }));
    const stream = model.stream.bind(model);
    model.stream = async (request, signal) => {
      const chunks = await stream(request, signal);
      return (async function* () {
        for await (const chunk of chunks) yield Object.assign(chunk, { [RAW_FRAME]: JSON.stringify(chunk) });
      })();
    };
    const chunks: ChatCompletionChunk[] = [];
    await streamToolLoop(model, input(toolset(loopTool('a', echoSource())), { onEvent: (event) => void (event.type === 'chunk' && chunks.push(event.chunk)) }));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((chunk) => rawFrameOf(chunk) === undefined)).toBe(true);
  });

  it('emits round_started, then the round\'s chunks, then each call\'s start and finish', async () => {
    const model = fakeModel((request) => (toolResults(request) === 0 ? { calls: [['c1', 's__a']] } : { content: 'done' }));
    const events: string[] = [];
    await streamToolLoop(model, input(toolset(loopTool('a', echoSource())), { onEvent: (event) => void events.push(event.type) }));
    const collapsed = events.filter((type, index) => type !== events[index - 1]);
    expect(collapsed).toEqual(['round_started', 'chunk', 'mcp_call_started', 'mcp_call_finished', 'round_started', 'chunk']);
  });
});
