/** Issue #4 point 6: one MCP tool as an OpenAI chat or Responses tool, named and normalised as the tool loop does it. */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { mcpToolFunctionName, mcpToolToOpenAITool } from '../../../src/bridge/openai-tool.js';
import { llmFunctionName, LLM_FUNCTION_NAME } from '../../../src/mcp/names.js';

const SUM: Tool = {
  name: 'get-sum',
  description: 'Returns the sum of two numbers',
  inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
};

describe('mcpToolToOpenAITool', () => {
  it('gives a chat function tool by default, with the tool name, description and schema', () => {
    expect(mcpToolToOpenAITool(SUM)).toEqual({
      type: 'function',
      function: { name: 'get-sum', description: 'Returns the sum of two numbers', parameters: SUM.inputSchema },
    });
  });

  it('gives a flat Responses function tool with strict false for format "responses"', () => {
    expect(mcpToolToOpenAITool(SUM, { format: 'responses' })).toEqual({
      type: 'function',
      name: 'get-sum',
      description: 'Returns the sum of two numbers',
      parameters: SUM.inputSchema,
      strict: false,
    });
  });

  it('names functions <serverLabel>__<tool> with a serverLabel, exactly as the tool loop names them', () => {
    const chat = mcpToolToOpenAITool(SUM, { serverLabel: 'every' });
    expect(chat.function.name).toBe('every__get-sum');
    const odd = { ...SUM, name: 'sum.v2 (beta)' };
    expect(mcpToolToOpenAITool(odd, { serverLabel: 'every', format: 'responses' }).name).toBe(llmFunctionName('every', 'sum.v2 (beta)'));
  });

  it('makes a tool name that is not a valid function name valid, deterministically', () => {
    const name = mcpToolFunctionName('files.read');
    expect(name).toMatch(LLM_FUNCTION_NAME);
    expect(mcpToolToOpenAITool({ ...SUM, name: 'files.read' }).function.name).toBe(name);
  });

  it('normalises a schema without type or properties, and leaves out a missing description', () => {
    const bare = { name: 'ping', inputSchema: { type: 'object' } } as Tool;
    expect(mcpToolToOpenAITool(bare)).toEqual({ type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } });
    expect(mcpToolToOpenAITool(bare, { format: 'responses' })).toEqual({
      type: 'function',
      name: 'ping',
      parameters: { type: 'object', properties: {} },
      strict: false,
    });
  });
});
