/** Issue #4 points 6 and 7: an OpenAI tool call (chat or Responses) as an MCP tools/call request, with clear errors. */
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions/completions';
import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { openAIToolCallToMcpRequest } from '../../../src/bridge/tool-call-request.js';
import { InvalidRequestError, McpNameNotFoundError } from '../../../src/http/errors.js';

const NAMES = new Map([
  ['every__get-sum', 'get-sum'],
  ['every__echo', 'echo'],
]);

const chatCall = (name: string, args: string): ChatCompletionMessageToolCall => ({ id: 'call_1', type: 'function', function: { name, arguments: args } });
const responsesCall = (name: string, args: string): ResponseFunctionToolCall => ({ type: 'function_call', call_id: 'call_2', name, arguments: args });

describe('openAIToolCallToMcpRequest', () => {
  it('maps a chat tool call back to the MCP tool name with parsed arguments', () => {
    expect(openAIToolCallToMcpRequest(chatCall('every__get-sum', '{"a":2,"b":3}'), NAMES)).toEqual({ name: 'get-sum', arguments: { a: 2, b: 3 } });
  });

  it('maps a Responses function_call item the same way, and reads empty arguments as {}', () => {
    expect(openAIToolCallToMcpRequest(responsesCall('every__echo', '{"message":"hi"}'), NAMES)).toEqual({ name: 'echo', arguments: { message: 'hi' } });
    expect(openAIToolCallToMcpRequest(responsesCall('every__echo', ''), NAMES)).toEqual({ name: 'echo', arguments: {} });
  });

  it('throws invalid_request naming the call and function for arguments that are not JSON or not an object', () => {
    expect(() => openAIToolCallToMcpRequest(chatCall('every__echo', '{message:'), NAMES)).toThrow(InvalidRequestError);
    expect(() => openAIToolCallToMcpRequest(chatCall('every__echo', '{message:'), NAMES)).toThrow(
      /^Tool call call_1 to function "every__echo": The arguments are not valid JSON \(.+\)\. Send a JSON object\.$/,
    );
    expect(() => openAIToolCallToMcpRequest(responsesCall('every__echo', '[1,2]'), NAMES)).toThrow(
      'Tool call call_2 to function "every__echo": The arguments must be a JSON object.',
    );
  });

  it('throws mcp_not_found for a function the listing does not hold', () => {
    const call = () => openAIToolCallToMcpRequest(chatCall('get_weather', '{}'), NAMES);
    expect(call).toThrow(McpNameNotFoundError);
    expect(call).toThrow('Tool call call_1 calls function "get_weather", which is not among the 2 functions of the MCP tool listing.');
  });

  it('refuses a custom tool call, which no MCP tool stands for', () => {
    const custom: ChatCompletionMessageToolCall = { id: 'call_3', type: 'custom', custom: { name: 'every__echo', input: 'hi' } };
    expect(() => openAIToolCallToMcpRequest(custom, NAMES)).toThrow(InvalidRequestError);
  });
});
