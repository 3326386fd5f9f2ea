/**
 * What the MCP cases send and expect: the fixture's path and tool, the Streamable HTTP headers, and reading
 * one JSON-RPC answer out of a POST response, which the SDK sends as an SSE stream (or as JSON when a server
 * enables JSON responses).
 */
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

export const MCP_PATH = '/mcp';
/** The name the fixture is configured under in Gatehouse, so its endpoint is `/bench/mcp`. */
export const MCP_SERVER_NAME = 'bench';
export const GATEHOUSE_MCP_PATH = `/${MCP_SERVER_NAME}/mcp`;
export const BENCH_TOOL_NAME = 'add';
export const BENCH_TOOL_DESCRIPTION = 'Adds two numbers.';
export const PROTOCOL_VERSION = LATEST_PROTOCOL_VERSION;

export const POST_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** The `tools/call` request body for `add(a, 1)`, built by concatenation: the client must stay cheap. */
export function addCallBody(id: number, a: number): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${BENCH_TOOL_NAME}","arguments":{"a":${a},"b":1}}}`;
}

export interface JsonRpcAnswer {
  id?: unknown;
  result?: unknown;
  error?: { message?: unknown };
}

/** The answer with this id in a JSON or SSE response body; undefined when there is none. */
export function findAnswer(contentType: string, text: string, id: number): JsonRpcAnswer | undefined {
  if (contentType.startsWith('application/json')) {
    const answer = JSON.parse(text) as JsonRpcAnswer;
    return answer.id === id ? answer : undefined;
  }
  for (const line of text.split('\n')) {
    // A server with an event store opens each stream with an empty priming event (SEP-1699).
    if (!line.startsWith('data:') || line.length <= 6) continue;
    const answer = JSON.parse(line.slice(5)) as JsonRpcAnswer;
    if (answer.id === id) return answer;
  }
  return undefined;
}

/** The text of the first content item of a `tools/call` result. */
export function resultText(answer: JsonRpcAnswer): string | undefined {
  const result = answer.result as { content?: Array<{ type?: unknown; text?: unknown }>; isError?: unknown } | undefined;
  const first = result?.content?.[0];
  return result?.isError !== true && first?.type === 'text' && typeof first.text === 'string' ? first.text : undefined;
}
