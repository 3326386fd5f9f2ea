/** The chat function tool a model is offered for an MCP tool (the loop's and the library bridge's one shape). */
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';

/** `parameters` is the normalised input schema (`normaliseInputSchema`); an empty description is left out. */
export function chatFunctionTool(name: string, description: string | undefined, parameters: Record<string, unknown>): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name, ...(description !== undefined && description !== '' ? { description } : {}), parameters },
  };
}
