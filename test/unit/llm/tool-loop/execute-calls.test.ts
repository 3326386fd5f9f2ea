/**
 * Issue #4 point 3: one round's calls and the client going away — a call whose client is already gone never
 * reaches its source, and fails exactly as a call aborted mid-flight does.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { executeCalls, type PlannedCall } from '../../../../src/llm/tool-loop/execute-calls.js';
import type { LoopEvent, LoopTool, ToolSource } from '../../../../src/llm/tool-loop/loop-types.js';
import { ToolSchemas } from '../../../../src/llm/tool-loop/tool-schemas.js';

const schemas = new ToolSchemas();
const limits = { maxRounds: 10, callTimeoutMs: 5_000, outputMaxChars: 1_000 };

/** A source whose calls never answer, whatever their signal says (the loop must not depend on the source for this). */
function deafSource(): ToolSource & { started: number } {
  const source = {
    started: 0,
    listTools: async () => [],
    callTool: () => {
      source.started++;
      return new Promise<CallToolResult>(() => undefined);
    },
  };
  return source;
}

function planned(source: ToolSource): PlannedCall {
  const inputSchema = { type: 'object', properties: {} };
  const tool: LoopTool = { functionName: 's__t', serverLabel: 's', name: 't', inputSchema, source, needsApproval: false, schema: schemas.prepare(inputSchema) };
  return { toolCallId: 'call_1', tool, arguments: '{}', approvalRequestId: null };
}

async function run(source: ToolSource, signal: AbortSignal) {
  const events: LoopEvent['type'][] = [];
  const [outcome] = await executeCalls([planned(source)], { limits, signal, emit: async (event) => void events.push(event.type) });
  const { id: _id, ...record } = outcome.record;
  return { record, message: outcome.message, events };
}

describe('executeCalls when the client goes away', () => {
  it('a call whose signal is already aborted never starts, and is reported as one aborted mid-flight', async () => {
    const early = deafSource();
    const gone = AbortSignal.abort();
    const before = await run(early, gone);
    expect(early.started).toBe(0);

    const late = deafSource();
    const controller = new AbortController();
    const during = run(late, controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.started).toBe(1);
    controller.abort();
    const mid = await during;

    expect(before).toEqual(mid);
    expect(mid.record).toMatchObject({ status: 'failed', output: null, error: { type: 'mcp_protocol_error', message: 'This operation was aborted' } });
    expect(mid.message.content).toBe('Tool error: This operation was aborted');
    expect(mid.events).toEqual(['mcp_call_started', 'mcp_call_finished']);
  });
});
