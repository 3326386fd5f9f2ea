/**
 * The two ways the agent-loop case runs N tool rounds. Through Gatehouse: one chat request with a `type: "mcp"`
 * tool, and Gatehouse's loop calls the model and the MCP fixture. Direct: the bench runs the same loop itself
 * (model fixture → `tools/call` on its own MCP session → model …), which is the upstream time a request
 * cannot avoid. Both check every answer; the direct loop also times its model and tool steps apart.
 */
import type { Dispatcher } from 'undici';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { ADD_FUNCTION_TOOL, AGENT_MODEL_NAME, finalAnswer, gatehouseAgentBody, roundsPrompt } from './agent-wire.js';
import type { Operation } from './closed-loop.js';
import type { McpBenchSession } from './mcp-session.js';

const CHAT_PATH = '/v1/chat/completions';
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Gatehouse's chat message with its MCP extension field (docs/endpoints.md). */
type McpChatMessage = ChatCompletion.Choice['message'] & {
  mcp_tool_calls?: Array<{ name?: unknown; output?: unknown; error?: unknown }>;
};

/** Where the direct loop reports the latency of each model call and each tool call. */
export interface StepTimes {
  model(ms: number): void;
  tool(ms: number): void;
}

async function postChat(dispatcher: Dispatcher, body: string, what: string): Promise<ChatCompletion> {
  const response = await dispatcher.request({ method: 'POST', path: CHAT_PATH, headers: JSON_HEADERS, body });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${what} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as ChatCompletion;
}

/** One chat request to Gatehouse whose loop must run `rounds` MCP calls, all successful, then answer. */
export function gatehouseAgentRequest(gatehouse: Dispatcher, model: string, rounds: number): Operation {
  const body = gatehouseAgentBody(model, rounds);
  return async () => {
    const completion = await postChat(gatehouse, body, `Gatehouse (${model})`);
    const choice = completion.choices[0];
    const message = choice?.message as McpChatMessage | undefined;
    const calls = message?.mcp_tool_calls ?? [];
    const failed = calls.find((call) => call.error !== null && call.error !== undefined);
    const answered = model === AGENT_MODEL_NAME ? message?.content === finalAnswer(rounds) : typeof message?.content === 'string';
    if (choice?.finish_reason !== 'stop' || calls.length !== rounds || failed !== undefined || !answered) {
      throw new Error(`Gatehouse (${model}) answered ${JSON.stringify(choice).slice(0, 400)}`);
    }
  };
}

/**
 * The same loop run by the client against the upstreams: `rounds` × (model call, tool call), then the model's
 * answer. Without a model (`modelFixture` undefined, for the in-process `demo` model) it is the tool calls alone.
 */
export function directAgentLoop(
  modelFixture: Dispatcher | undefined,
  session: McpBenchSession,
  rounds: number,
  times: StepTimes,
): Operation {
  return async () => {
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: roundsPrompt(rounds) }];
    for (let round = 1; ; round++) {
      let a = round;
      let callId = `call_${round}`;
      if (modelFixture) {
        const started = performance.now();
        const body = JSON.stringify({ model: 'bench-agent-model', messages, tools: [ADD_FUNCTION_TOOL] });
        const message = (await postChat(modelFixture, body, 'the model fixture')).choices[0]?.message;
        times.model(performance.now() - started);
        const call = message?.tool_calls?.[0];
        if (round > rounds) {
          if (message?.content !== finalAnswer(rounds)) throw new Error(`the model fixture answered ${JSON.stringify(message)}`);
          return;
        }
        if (call?.type !== 'function') throw new Error(`the model fixture asked for no tool call: ${JSON.stringify(message)}`);
        a = (JSON.parse(call.function.arguments) as { a: number }).a;
        callId = call.id;
        messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      } else if (round > rounds) {
        return;
      }
      const started = performance.now();
      await session.callAdd(a);
      times.tool(performance.now() - started);
      messages.push({ role: 'tool', tool_call_id: callId, content: String(a + 1) });
    }
  };
}
