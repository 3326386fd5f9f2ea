/** Decides what the mock "model" says: the configured mock response, a tool call, a summary of tool results, or an echo. */
import type { ChatRequest, ProviderTarget } from '../provider.js';
import { lastUserText, toolResultsSinceLastUser, type ToolResult } from './conversation.js';
import { throwIfErrorTrigger } from './error-triggers.js';
import { chooseTool } from './pick-tool.js';
import { synthesizeArguments } from './synthesize-arguments.js';
import { limitText } from './limit-text.js';

export type MockAnswer =
  | { kind: 'text'; text: string; finishReason: 'stop' | 'length' }
  | { kind: 'tool_call'; id: string; name: string; arguments: string };

function describeResults(results: readonly ToolResult[]): string {
  return results
    .map((result) =>
      result.name === undefined
        ? `A tool returned: "${result.content}".`
        : `The tool ${result.name} returned: "${result.content}".`,
    )
    .join(' ');
}

/**
 * The answer for one request; throws the upstream error a LiteLLM error trigger stands for.
 * Pure apart from the errors: the same request and target always give the same answer.
 */
export function answerRequest(request: ChatRequest, target: ProviderTarget, toolCallId: string): MockAnswer {
  if (target.mockResponse !== undefined) {
    throwIfErrorTrigger(target.mockResponse);
    return { kind: 'text', text: target.mockResponse, finishReason: 'stop' };
  }
  const messages = request.messages ?? [];
  const userText = lastUserText(messages);
  const results = toolResultsSinceLastUser(messages);
  if (results.length > 0) return limitText(describeResults(results), request.max_completion_tokens ?? request.max_tokens);
  const tool = chooseTool(request, userText);
  if (tool) {
    const args = synthesizeArguments(tool.function.parameters, userText, tool.function.name);
    return { kind: 'tool_call', id: toolCallId, name: tool.function.name, arguments: JSON.stringify(args) };
  }
  return limitText(`This is a mock response to: "${userText}"`, request.max_completion_tokens ?? request.max_tokens);
}
