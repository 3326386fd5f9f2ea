/**
 * The library bridge end to end (docs/mcp-bridge.md): an MCP server's tools offered to the `demo` model through a
 * running Gatehouse, the model's tool call run on the MCP session, the result sent back, the answer printed — once
 * with Chat Completions, once with the Responses API.
 *
 *   npm start                                   # Gatehouse on :4000 with the bundled config.yaml
 *   npx tsx docs/examples/mcp-bridge-demo.ts    # in another terminal
 *
 * GATEHOUSE_URL (default http://localhost:4000/v1) and GATEHOUSE_API_KEY (the master key, if one is set) point it elsewhere.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { callOpenAIToolCall, listMcpToolsAsOpenAITools } from 'gatehouse/bridge';

const openai = new OpenAI({
  baseURL: process.env.GATEHOUSE_URL ?? 'http://localhost:4000/v1',
  apiKey: process.env.GATEHOUSE_API_KEY ?? 'anything-without-a-master-key',
});

// Any MCP client session will do; this one runs the reference "everything" server over stdio.
const mcp = new Client({ name: 'mcp-bridge-demo', version: '1.0.0' });
await mcp.connect(
  new StdioClientTransport({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything', 'stdio'], stderr: 'ignore' }),
);

try {
  // Chat Completions: list → ask → run the tool calls → send the results back → answer.
  const chat = await listMcpToolsAsOpenAITools(mcp);
  console.log(`MCP tools offered as functions: ${[...chat.names.keys()].join(', ')}`);
  const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Echo "hello from the bridge"' }];
  const first = await openai.chat.completions.create({ model: 'demo', messages, tools: chat.tools });
  const message = first.choices[0].message;
  messages.push(message);
  for (const toolCall of message.tool_calls ?? []) {
    const toolMessage = await callOpenAIToolCall(mcp, toolCall, chat.names);
    console.log(`chat: ${toolCall.type === 'function' ? toolCall.function.name : toolCall.custom.name} → ${String(toolMessage.content)}`);
    messages.push(toolMessage);
  }
  const final = await openai.chat.completions.create({ model: 'demo', messages, tools: chat.tools });
  console.log(`chat answer: ${final.choices[0].message.content}`);

  // Responses: the same tools as flat function tools; outputs go back as function_call_output items.
  const flat = await listMcpToolsAsOpenAITools(mcp, { format: 'responses' });
  const response = await openai.responses.create({ model: 'demo', input: 'Use get-sum to add 2 and 3', tools: flat.tools });
  const outputs: ResponseInputItem[] = [];
  for (const item of response.output) {
    if (item.type !== 'function_call') continue;
    const output = await callOpenAIToolCall(mcp, item, flat.names);
    console.log(`responses: ${item.name}(${item.arguments}) → ${String(output.output)}`);
    outputs.push(output);
  }
  const answer = await openai.responses.create({ model: 'demo', previous_response_id: response.id, input: outputs, tools: flat.tools });
  console.log(`responses answer: ${answer.output_text}`);
} finally {
  await mcp.close();
}
