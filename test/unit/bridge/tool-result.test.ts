/** Issue #4 point 6: an MCP tools/call result back as a chat tool message or a Responses function_call_output item. */
import { describe, expect, it } from 'vitest';
import { mcpResultToFunctionCallOutput, mcpResultToOpenAIToolMessage } from '../../../src/bridge/tool-result.js';
import { resultText } from '../../../src/llm/tool-loop/result-text.js';

describe('mcpResultToOpenAIToolMessage', () => {
  it('answers the tool call with the text the tool loop would send', () => {
    const result = { content: [{ type: 'text' as const, text: 'first' }, { type: 'image' as const, data: 'AAAA', mimeType: 'image/png' }] };
    expect(mcpResultToOpenAIToolMessage(result, { id: 'call_1' })).toEqual({ role: 'tool', tool_call_id: 'call_1', content: resultText(result, 100_000) });
  });

  it('marks an isError result as a tool error', () => {
    const message = mcpResultToOpenAIToolMessage({ isError: true, content: [{ type: 'text', text: 'the disk is full' }] }, { id: 'call_1' });
    expect(message.content).toBe('Tool error: the disk is full');
  });

  it('serialises structuredContent, reads a legacy toolResult, and cuts at outputMaxChars', () => {
    expect(mcpResultToOpenAIToolMessage({ content: [], structuredContent: { sum: 5 } }, { id: 'c' }).content).toBe('{"sum":5}');
    expect(mcpResultToOpenAIToolMessage({ toolResult: { sum: 5 } }, { id: 'c' }).content).toBe('{"sum":5}');
    expect(mcpResultToOpenAIToolMessage({ toolResult: 'five' }, { id: 'c' }).content).toBe('five');
    expect(mcpResultToOpenAIToolMessage({ content: [{ type: 'text', text: 'abcdefgh' }] }, { id: 'c' }, { outputMaxChars: 3 }).content).toBe(
      'abc\n[truncated: 5 more characters]',
    );
  });
});

describe('mcpResultToFunctionCallOutput', () => {
  it('answers the function_call item by call_id', () => {
    expect(mcpResultToFunctionCallOutput({ content: [{ type: 'text', text: 'The sum of 2 and 3 is 5.' }] }, { call_id: 'call_2' })).toEqual({
      type: 'function_call_output',
      call_id: 'call_2',
      output: 'The sum of 2 and 3 is 5.',
    });
    expect(mcpResultToFunctionCallOutput({ isError: true, content: [{ type: 'text', text: 'no' }] }, { call_id: 'call_2' }).output).toBe('Tool error: no');
  });
});
