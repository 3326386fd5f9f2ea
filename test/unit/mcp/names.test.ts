/** Issue #4 point 2: MCP tools are offered to models under names matching ^[a-zA-Z0-9_-]{1,64}$, deterministically. */
import { describe, expect, it } from 'vitest';
import { LLM_FUNCTION_NAME, llmFunctionName, llmToolFunctionName } from '../../../src/mcp/names.js';

describe('llmFunctionName', () => {
  it('joins a valid label and tool name with "__" unchanged', () => {
    expect(llmFunctionName('github', 'create_issue')).toBe('github__create_issue');
    expect(llmFunctionName('every', 'get-sum')).toBe('every__get-sum');
  });

  it('sanitises unsafe characters and adds a hash suffix, so distinct names stay distinct', () => {
    const dotted = llmFunctionName('docs', 'search.v2');
    const underscored = llmFunctionName('docs', 'search_v2');
    expect(dotted).toMatch(LLM_FUNCTION_NAME);
    expect(dotted).toMatch(/^docs__search_v2_[0-9a-f]{12}$/);
    expect(underscored).toBe('docs__search_v2');
    expect(dotted).not.toBe(underscored);
  });

  it('cuts names longer than 64 characters, keeping them unique and stable', () => {
    const long = 'a'.repeat(100);
    const first = llmFunctionName('server', `${long}1`);
    const second = llmFunctionName('server', `${long}2`);
    expect(first).toMatch(LLM_FUNCTION_NAME);
    expect(first).toHaveLength(64);
    expect(first).not.toBe(second);
    expect(llmFunctionName('server', `${long}1`)).toBe(first);
  });

  it('maps names that only differ after sanitising (unicode, spaces) to different valid names', () => {
    const names = ['wetter für morgen', 'wetter fur morgen', 'wetter_f_r_morgen'].map((tool) => llmFunctionName('w', tool));
    for (const name of names) expect(name).toMatch(LLM_FUNCTION_NAME);
    expect(new Set(names).size).toBe(3);
  });
});

describe('llmToolFunctionName', () => {
  it('keeps a valid bare tool name and maps an invalid one like llmFunctionName does (issue #4 point 6)', () => {
    expect(llmToolFunctionName('get-sum')).toBe('get-sum');
    const dotted = llmToolFunctionName('search.v2');
    expect(dotted).toMatch(/^search_v2_[0-9a-f]{12}$/);
    expect(llmToolFunctionName('search.v2')).toBe(dotted);
    expect(llmToolFunctionName('x'.repeat(100))).toHaveLength(64);
  });
});
