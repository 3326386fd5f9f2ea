/** Chooses which offered function tool the mock "model" calls: the forced one, or the best word match. */
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../provider.js';
import { UnsupportedRequestError } from '../upstream-errors.js';
import { contentTokens } from './words.js';

/** How many distinct meaningful words the user text shares with the tool's name and description. */
export function scoreTool(tool: ChatCompletionFunctionTool, userTokens: ReadonlySet<string>): number {
  const toolTokens = contentTokens(`${tool.function.name} ${tool.function.description ?? ''}`);
  let score = 0;
  for (const token of toolTokens) if (userTokens.has(token)) score++;
  return score;
}

/** The tool whose name and description best match `userText`; ties go to the earlier tool. */
export function pickTool(
  tools: readonly ChatCompletionFunctionTool[],
  userText: string,
): ChatCompletionFunctionTool | undefined {
  const userTokens = contentTokens(userText);
  let best: ChatCompletionFunctionTool | undefined;
  let bestScore = -1;
  for (const tool of tools) {
    const score = scoreTool(tool, userTokens);
    if (score > bestScore) {
      best = tool;
      bestScore = score;
    }
  }
  return best;
}

function allowedNames(entries: readonly { [key: string]: unknown }[]): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const fn = entry.function;
    if (typeof fn === 'object' && fn !== null && 'name' in fn && typeof fn.name === 'string') names.add(fn.name);
  }
  return names;
}

/**
 * The tool the mock calls for this request, or undefined when it should answer in text
 * (no function tools offered, or `tool_choice: "none"`).
 */
export function chooseTool(request: ChatRequest, userText: string): ChatCompletionFunctionTool | undefined {
  const functionTools = (request.tools ?? []).filter(
    (tool): tool is ChatCompletionFunctionTool => tool.type === 'function',
  );
  const choice = request.tool_choice;
  if (choice === 'none' || functionTools.length === 0) return undefined;
  if (choice === undefined || choice === 'auto' || choice === 'required') return pickTool(functionTools, userText);
  if (choice.type === 'function') {
    const forced = functionTools.find((tool) => tool.function.name === choice.function.name);
    if (!forced) {
      throw new UnsupportedRequestError('tool_choice', `tool_choice names "${choice.function.name}", which is not in tools`);
    }
    return forced;
  }
  if (choice.type === 'allowed_tools') {
    const names = allowedNames(choice.allowed_tools.tools);
    return pickTool(functionTools.filter((tool) => names.has(tool.function.name)), userText);
  }
  throw new UnsupportedRequestError('tool_choice', 'the mock provider only calls function tools');
}
