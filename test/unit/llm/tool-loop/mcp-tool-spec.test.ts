/** Issue #4 points 2 and 7: `type: "mcp"` tool entries are read into specs; malformed fields are a 400 naming the field. */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../src/http/errors.js';
import { parseMcpToolSpecs } from '../../../../src/llm/tool-loop/mcp-tool-spec.js';

const base = { type: 'mcp', server_label: 'gh', server_url: 'litellm_proxy/mcp/github' };

function rejection(tools: unknown[]): InvalidRequestError {
  try {
    parseMcpToolSpecs(tools);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('parseMcpToolSpecs', () => {
  it('reads every field and keeps the index of each mcp entry among other tools', () => {
    const entries = parseMcpToolSpecs([
      { type: 'function', function: { name: 'f' } },
      {
        ...base,
        headers: { 'X-Trace': '1' },
        authorization: 'tok',
        allowed_tools: { tool_names: ['a'], read_only: true },
        require_approval: { never: { tool_names: ['a'] }, always: { read_only: false } },
        server_description: 'GitHub',
      },
    ]);
    expect(entries).toEqual([
      {
        index: 1,
        spec: {
          serverLabel: 'gh',
          serverUrl: 'litellm_proxy/mcp/github',
          headers: { 'X-Trace': '1' },
          authorization: 'tok',
          allowedTools: { toolNames: ['a'], readOnly: true },
          requireApproval: { mode: 'filter', never: { toolNames: ['a'] }, always: { readOnly: false } },
          serverDescription: 'GitHub',
        },
      },
    ]);
  });

  it('treats an omitted or null require_approval as "always" (OpenAI\'s default) and a list as allowed tool names', () => {
    const [omitted] = parseMcpToolSpecs([{ ...base, allowed_tools: ['x', 'y'] }]);
    expect(omitted.spec.requireApproval).toEqual({ mode: 'always' });
    expect(omitted.spec.allowedTools).toEqual({ toolNames: ['x', 'y'] });
    expect(parseMcpToolSpecs([{ ...base, require_approval: null }])[0].spec.requireApproval).toEqual({ mode: 'always' });
    expect(parseMcpToolSpecs([{ ...base, require_approval: 'never' }])[0].spec.requireApproval).toEqual({ mode: 'never' });
  });

  it.each([
    [{ ...base, require_approval: 'sometimes' }, 'tools[0].require_approval'],
    [{ ...base, require_approval: { maybe: {} } }, 'tools[0].require_approval'],
    [{ ...base, require_approval: { never: { tool_names: 'a' } } }, 'tools[0].require_approval'],
    [{ ...base, allowed_tools: 'a' }, 'tools[0].allowed_tools'],
    [{ ...base, allowed_tools: [1] }, 'tools[0].allowed_tools'],
    [{ ...base, headers: { a: 1 } }, 'tools[0].headers'],
    [{ ...base, server_label: '' }, 'tools[0].server_label'],
    [{ type: 'mcp', server_url: 'litellm_proxy' }, 'tools[0].server_label'],
    [{ type: 'mcp', server_label: 'gh' }, 'tools[0].server_url'],
    [{ type: 'mcp', server_label: 'gh', connector_id: 'connector_gmail' }, 'tools[0].connector_id'],
  ])('rejects %j naming %s', (tool, param) => {
    const error = rejection([tool]);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });

  it('rejects two mcp tools with the same server_label', () => {
    const error = rejection([base, { type: 'function', function: { name: 'f' } }, { ...base, server_url: 'litellm_proxy' }]);
    expect(error.param).toBe('tools[2].server_label');
    expect(error.message).toContain('tools[0]');
  });
});
