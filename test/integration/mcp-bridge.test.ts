/**
 * Issue #4 point 6, the library bridge: docs/mcp-bridge.md's flow against a real Gatehouse (the embedded config.yaml,
 * `demo` model) and the real server-everything over stdio — list the session's tools as OpenAI tools, let the model
 * call one, run the call with `callOpenAIToolCall`, send the answer back, read the final answer — for Chat Completions
 * and the Responses API; then the documented example itself, and the `gatehouse/bridge` package entry.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as bridge from '../../src/bridge/index.js';
import { callOpenAIToolCall, listMcpToolsAsOpenAITools } from '../../src/bridge/index.js';
import { EVERYTHING_ENTRY } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let gatehouse: RunningGatehouse;
let mcp: Client;

beforeAll(async () => {
  gatehouse = await startGatehouse(await readFile(join(ROOT, 'config.yaml'), 'utf8'));
  mcp = new Client({ name: 'bridge-test', version: '1.0.0' });
  await mcp.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], stderr: 'ignore' }));
});
afterAll(async () => {
  await mcp.close();
  await gatehouse.close();
});

describe('the MCP bridge with the demo model', () => {
  it('chat: lists the tools, runs the model’s echo call on the session and gets an answer quoting its output', async () => {
    const openai = gatehouse.client();
    const { tools, names } = await listMcpToolsAsOpenAITools(mcp);
    expect(names.get('echo')).toBe('echo');
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Echo "hello from the bridge"' }];
    const first = await openai.chat.completions.create({ model: 'demo', messages, tools });
    const message = first.choices[0].message;
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    messages.push(message);
    for (const toolCall of message.tool_calls ?? []) messages.push(await callOpenAIToolCall(mcp, toolCall, names));
    expect(messages[2]).toEqual({ role: 'tool', tool_call_id: message.tool_calls![0].id, content: 'Echo: hello from the bridge' });

    const final = await openai.chat.completions.create({ model: 'demo', messages, tools });
    expect(final.choices[0].finish_reason).toBe('stop');
    expect(final.choices[0].message.content).toBe('The tool echo returned: "Echo: hello from the bridge".');
  });

  it('chat with a serverLabel: functions are named <label>__<tool> and still map back to the MCP tool', async () => {
    const openai = gatehouse.client();
    const { tools, names } = await listMcpToolsAsOpenAITools(mcp, { serverLabel: 'everything' });
    const first = await openai.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'Echo "labelled"' }], tools });
    const toolCall = first.choices[0].message.tool_calls![0];
    expect(toolCall.type === 'function' && toolCall.function.name).toBe('everything__echo');
    expect((await callOpenAIToolCall(mcp, toolCall, names)).content).toBe('Echo: labelled');
  });

  it('responses: lists flat function tools, answers the model’s function_call with function_call_output, continues by previous_response_id', async () => {
    const openai = gatehouse.client();
    const { tools, names } = await listMcpToolsAsOpenAITools(mcp, { format: 'responses' });
    const response = await openai.responses.create({ model: 'demo', input: 'Use get-sum to add 2 and 3', tools });
    const calls = response.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([['get-sum', { a: 2, b: 3 }]]);
    const outputs: ResponseInputItem[] = [];
    for (const call of calls) outputs.push(await callOpenAIToolCall(mcp, call, names));
    expect(outputs).toEqual([{ type: 'function_call_output', call_id: calls[0].call_id, output: 'The sum of 2 and 3 is 5.' }]);

    const answer = await openai.responses.create({ model: 'demo', previous_response_id: response.id, input: outputs, tools });
    expect(answer.status).toBe('completed');
    expect(answer.output_text).toBe('The tool get-sum returned: "The sum of 2 and 3 is 5.".');
  });
});

describe('docs/examples/mcp-bridge-demo.ts and the package entry', () => {
  it('runs the documented example against a running Gatehouse and prints both answers', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'docs/examples/mcp-bridge-demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, GATEHOUSE_URL: `${gatehouse.origin}/v1` },
      timeout: 30_000,
    });
    expect(stdout).toContain('chat answer: The tool echo returned: "Echo: hello from the bridge".');
    expect(stdout).toContain('responses answer: The tool get-sum returned: "The sum of 2 and 3 is 5.".');
  }, 40_000);

  it('exports the bridge as gatehouse/bridge from the build, with type declarations, and nothing else', async () => {
    expect(existsSync(join(ROOT, 'dist/src/bridge/index.d.ts'))).toBe(true);
    const probe = `import('gatehouse/bridge').then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual(Object.keys(bridge).sort());
    const deep = `import('gatehouse/dist/src/app.js').catch((error) => console.log(error.code))`;
    expect((await run(process.execPath, ['--input-type=module', '-e', deep], { cwd: ROOT })).stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
