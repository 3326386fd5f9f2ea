/** Issue #4 point 3: allowed_tools and require_approval filters, read_only matched against annotations.readOnlyHint. */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { isToolAllowed, matchesFilter, needsApproval } from '../../../../src/llm/tool-loop/tool-policy.js';

const tool = (name: string, readOnlyHint?: boolean): Tool => ({
  name,
  inputSchema: { type: 'object' },
  ...(readOnlyHint === undefined ? {} : { annotations: { readOnlyHint } }),
});
const read = tool('read', true);
const write = tool('write', false);
const plain = tool('plain');

describe('tool filters', () => {
  it('match by name and read_only together (AND); a missing readOnlyHint counts as false', () => {
    expect(matchesFilter(read, { toolNames: ['read'], readOnly: true })).toBe(true);
    expect(matchesFilter(read, { toolNames: ['read'], readOnly: false })).toBe(false);
    expect(matchesFilter(plain, { readOnly: false })).toBe(true);
    expect(matchesFilter(plain, { readOnly: true })).toBe(false);
    expect(matchesFilter(write, { toolNames: ['read'] })).toBe(false);
  });

  it('allowed_tools: none offers every tool, a filter only the matching ones', () => {
    expect(isToolAllowed(write, undefined)).toBe(true);
    expect([read, write, plain].filter((candidate) => isToolAllowed(candidate, { readOnly: true }))).toEqual([read]);
    expect([read, write, plain].filter((candidate) => isToolAllowed(candidate, { toolNames: ['plain', 'write'] }))).toEqual([write, plain]);
  });
});

describe('needsApproval', () => {
  it('"always" and "never" apply to every tool', () => {
    expect(needsApproval(read, { mode: 'always' })).toBe(true);
    expect(needsApproval(write, { mode: 'never' })).toBe(false);
  });

  it('filter form: never-matches run, always-matches and everything else need approval, always wins over never', () => {
    const policy = { mode: 'filter' as const, never: { readOnly: true } };
    expect(needsApproval(read, policy)).toBe(false);
    expect(needsApproval(write, policy)).toBe(true);
    expect(needsApproval(plain, policy)).toBe(true);
    const both = { mode: 'filter' as const, never: { readOnly: true }, always: { toolNames: ['read'] } };
    expect(needsApproval(read, both)).toBe(true);
    expect(needsApproval(plain, { mode: 'filter' })).toBe(true);
  });
});
