/**
 * What the agent-loop case sends: the models it names in Gatehouse's config, the user prompt that tells the
 * scripted model how many tool rounds to ask for, and the `type: "mcp"` tool that points the loop at the MCP
 * fixture through the gateway.
 */
import { BENCH_TOOL_DESCRIPTION, BENCH_TOOL_NAME, MCP_SERVER_NAME } from './mcp-wire.js';

/** The scripted OpenAI-wire model fixture (agent-model.ts). */
export const AGENT_MODEL_NAME = 'bench-agent';
/** Gatehouse's mock provider: it calls the tool once, then answers. */
export const DEMO_MODEL_NAME = 'demo';

const ROUNDS_PREFIX = 'tool rounds: ';

/** The user turn that asks the scripted model for `rounds` tool calls, one per round, before it answers. */
export function roundsPrompt(rounds: number): string {
  return `${ROUNDS_PREFIX}${rounds}`;
}

/** The rounds a prompt asks for; 0 when it does not say. */
export function roundsOf(prompt: string): number {
  return prompt.startsWith(ROUNDS_PREFIX) ? Number(prompt.slice(ROUNDS_PREFIX.length)) || 0 : 0;
}

/** The scripted model's final answer after its tool rounds. */
export function finalAnswer(rounds: number): string {
  return `Done after ${rounds} tool rounds.`;
}

/** The `add` tool as the model sees it (what Gatehouse builds from the fixture's tools/list). */
export const ADD_FUNCTION_TOOL = {
  type: 'function',
  function: {
    name: BENCH_TOOL_NAME,
    description: BENCH_TOOL_DESCRIPTION,
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
} as const;

/** The chat request a client sends to Gatehouse: one user turn and the fixture as a `type: "mcp"` tool. */
export function gatehouseAgentBody(model: string, rounds: number): string {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: roundsPrompt(rounds) }],
    tools: [{ type: 'mcp', server_label: MCP_SERVER_NAME, server_url: `litellm_proxy/mcp/${MCP_SERVER_NAME}`, require_approval: 'never' }],
  });
}
