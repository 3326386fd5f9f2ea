import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import { chooseTool, pickTool } from '../../../providers/mock/pick-tool.js';
import type { ChatRequest } from '../../../providers/provider.js';
import { UnsupportedRequestError } from '../../../providers/upstream-errors.js';

function tool(name: string, description: string): ChatCompletionFunctionTool {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties: {} } } };
}

const TOOLS = [
  tool('get_time', 'Get the current time in a timezone'),
  tool('getWeather', 'Get the current weather forecast for a city'),
  tool('search-files', 'Search files on disk by name'),
];

function request(fields: Partial<ChatRequest>): ChatRequest {
  return { model: 'mock-model', messages: [{ role: 'user', content: 'What is the weather in Paris?' }], ...fields };
}

describe('mock provider: picking a tool', () => {
  it('picks the tool whose name and description share the most words with the user text', () => {
    expect(pickTool(TOOLS, 'What is the weather forecast in Paris?')?.function.name).toBe('getWeather');
    expect(pickTool(TOOLS, 'What time is it in Tokyo?')?.function.name).toBe('get_time');
  });

  it('splits camelCase, snake_case and kebab-case names and folds plurals', () => {
    expect(pickTool(TOOLS, 'search for a file named notes')?.function.name).toBe('search-files');
  });

  it('gives ties (including no overlap at all) to the earlier tool', () => {
    expect(pickTool(TOOLS, 'hello there')?.function.name).toBe('get_time');
    expect(pickTool([TOOLS[2], TOOLS[0]], 'hello there')?.function.name).toBe('search-files');
  });

  it('ignores filler words when scoring', () => {
    const wordy = tool('translate', 'This is the tool that translates text into the target language');
    const terse = tool('get_time', 'Time zone lookup');
    // Counting "is" and "the" would make the wordy tool win 2 to 1.
    expect(pickTool([wordy, terse], 'what is the time in Oslo')?.function.name).toBe('get_time');
  });

  it('calls no tool when tool_choice is "none" or no function tools are offered', () => {
    expect(chooseTool(request({ tools: TOOLS, tool_choice: 'none' }), 'weather')).toBeUndefined();
    expect(chooseTool(request({}), 'weather')).toBeUndefined();
  });

  it('forces the tool named by tool_choice even when another matches better', () => {
    const choice = { type: 'function' as const, function: { name: 'search-files' } };
    expect(chooseTool(request({ tools: TOOLS, tool_choice: choice }), 'weather in Paris')?.function.name).toBe(
      'search-files',
    );
  });

  it('rejects a tool_choice naming a tool that is not offered', () => {
    const choice = { type: 'function' as const, function: { name: 'nope' } };
    expect(() => chooseTool(request({ tools: TOOLS, tool_choice: choice }), 'weather')).toThrow(UnsupportedRequestError);
  });

  it('only considers the tools listed by an allowed_tools tool_choice', () => {
    const choice = {
      type: 'allowed_tools' as const,
      allowed_tools: { mode: 'auto' as const, tools: [{ type: 'function', function: { name: 'get_time' } }] },
    };
    expect(chooseTool(request({ tools: TOOLS, tool_choice: choice }), 'weather in Paris')?.function.name).toBe(
      'get_time',
    );
  });
});
