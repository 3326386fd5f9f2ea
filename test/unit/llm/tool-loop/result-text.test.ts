/** Issue #4 point 3: tool results become text for the model (wire-formats §1.3.7). */
import { describe, expect, it } from 'vitest';
import { resultText } from '../../../../src/llm/tool-loop/result-text.js';

describe('resultText', () => {
  it('joins text blocks with newlines and summarises other blocks', () => {
    const text = resultText(
      {
        content: [
          { type: 'text', text: 'first' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
          { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'hidden' } },
          { type: 'resource_link', uri: 'https://example.com/doc', name: 'doc' },
          { type: 'text', text: 'last' },
        ],
      },
      1_000,
    );
    expect(text).toBe('first\n[image/png]\n[audio/wav]\n[resource file:///a.txt (text/plain)]\nhttps://example.com/doc\nlast');
  });

  it('serialises structuredContent when there is no text block', () => {
    expect(resultText({ content: [], structuredContent: { sum: 3 } }, 1_000)).toBe('{"sum":3}');
    expect(resultText({ content: [{ type: 'text', text: '3' }], structuredContent: { sum: 3 } }, 1_000)).toBe('3');
  });

  it('caps the length and says how much was cut', () => {
    expect(resultText({ content: [{ type: 'text', text: 'abcdefghij' }] }, 4)).toBe('abcd\n[truncated: 6 more characters]');
  });
});
