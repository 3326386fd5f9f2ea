/** Issue #2 point 2: config.yaml validation names the YAML path; unknown keys warn once; os.environ/ resolution. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { buildDeploymentTable } from '../../../src/llm/deployments.js';

const problemsOf = (yaml: string, env: Record<string, string> = {}): readonly string[] => {
  try {
    buildDeploymentTable(parseConfig(yaml, 'test.yaml', env));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('parseConfig', () => {
  it('names the YAML path of an invalid model string', () => {
    const yaml = `
model_list:
  - model_name: a
    litellm_params: { model: mock/a }
  - model_name: b
    litellm_params: { model: mock/b }
  - model_name: c
    litellm_params: { model: gpt-4o }
`;
    expect(problemsOf(yaml)).toEqual(['model_list[2].litellm_params.model: must be "<provider>/<model>", e.g. "openai/gpt-4o"']);
  });

  it('reports every problem at once, each with its path', () => {
    const yaml = `
model_list:
  - model_name: a
    litellm_params: { model: mock/a, timeout: -1, api_base: ftp://x }
  - litellm_params: { model: mock/b }
router_settings: { num_retries: two }
`;
    expect(problemsOf(yaml)).toEqual(
      expect.arrayContaining([
        'model_list[0].litellm_params.timeout: must be > 0',
        'model_list[0].litellm_params.api_base: must be an http(s) URL',
        'model_list[1].model_name: is required',
        'router_settings.num_retries: must be integer',
      ]),
    );
  });

  it('rejects an unknown provider and a fallback to an unknown model name', () => {
    const yaml = `
model_list:
  - model_name: a
    litellm_params: { model: nosuch/a }
  - model_name: b
    litellm_params: { model: mock/b }
router_settings:
  fallbacks: [{ b: [zzz] }]
`;
    const problems = problemsOf(yaml);
    expect(problems[0]).toMatch(/^model_list\[0\]\.litellm_params\.model: unknown provider "nosuch"/);
    expect(problems[1]).toBe('router_settings.fallbacks[0]: unknown model_name "zzz"');
  });

  it('collects unknown keys into one warning and drops them', () => {
    const loaded = parseConfig(
      `
model_list:
  - model_name: a
    litellm_params: { model: mock/a, fancy_param: 1 }
litellm_settings: { success_callback: [langfuse] }
mystery: true
`,
      'test.yaml',
      {},
    );
    expect(loaded.warnings).toEqual([
      'ignoring unknown config keys: litellm_settings.success_callback, model_list[0].litellm_params.fancy_param, mystery',
    ]);
    expect(loaded.config).toEqual({ model_list: [{ model_name: 'a', litellm_params: { model: 'mock/a' } }], litellm_settings: {} });
  });

  it('reads os.environ/NAME values, including from environment_variables', () => {
    const loaded = parseConfig(
      `
environment_variables: { LOCAL_BASE: "http://127.0.0.1:9" }
model_list:
  - model_name: a
    litellm_params: { model: openai/a, api_key: os.environ/KEY_A, api_base: os.environ/LOCAL_BASE }
general_settings: { master_key: os.environ/MASTER }
`,
      'test.yaml',
      { KEY_A: 'sk-a', MASTER: 'sk-m' },
    );
    expect(loaded.config.model_list[0].litellm_params).toMatchObject({ api_key: 'sk-a', api_base: 'http://127.0.0.1:9' });
    expect(loaded.config.general_settings?.master_key).toBe('sk-m');
  });

  it('keeps a model whose api_key variable is unset, but fails on any other unset variable', () => {
    const loaded = parseConfig(
      `
model_list:
  - model_name: a
    litellm_params: { model: openai/a, api_key: os.environ/UNSET_KEY }
`,
      'test.yaml',
      {},
    );
    expect(loaded.missingEnv).toEqual([{ path: 'model_list[0].litellm_params.api_key', variable: 'UNSET_KEY' }]);
    expect(buildDeploymentTable(loaded).get('a')?.deployments[0].missingCredential).toBe('UNSET_KEY');
    expect(
      problemsOf(`
model_list:
  - model_name: a
    litellm_params: { model: mock/a }
general_settings: { master_key: os.environ/UNSET_MASTER }
`),
    ).toEqual(['general_settings.master_key: environment variable UNSET_MASTER is not set']);
  });

  it('fails on YAML that does not parse, and on a file without model_list', () => {
    expect(() => parseConfig('model_list: [', 'bad.yaml', {})).toThrow(/not valid YAML/);
    expect(problemsOf('general_settings: {}\n')).toEqual(['model_list: is required']);
  });
});

describe('parseConfig: mcp_servers through the MCP server rules', () => {
  const servers = (body: string, env: Record<string, string> = {}): readonly string[] => problemsOf(`model_list: []\nmcp_servers:\n${body}`, env);

  it('reports every server problem at once, each with its YAML path and in file order', () => {
    expect(
      servers(`
  ok: { url: "https://example.com/mcp", alias: gh }
  GH: { url: "https://example.com/other" }
  local: { command: node, url: "https://example.com/mcp" }
  api: { spec_path: "./spec.json", tool_name_to_display_name: { getPet: "get pet" }, access_groups: [" padded"] }
`),
    ).toEqual([
      'mcp_servers.GH: is already the name or alias of MCP server "ok"',
      'mcp_servers.local.url: must be unset or a stdio:// URL for transport stdio',
      'mcp_servers.api.access_groups[0]: must be a group name: not empty, without commas or surrounding spaces',
      'mcp_servers.api.tool_name_to_display_name.getPet: must match ^[A-Za-z0-9._-]{1,128}$ (SEP-986)',
    ]);
  });

  it('reads null values and an empty alias or url as unset (a null alias no longer throws a TypeError)', () => {
    const loaded = parseConfig('model_list: []\nmcp_servers:\n  a: { url: "https://example.com/mcp", alias: null, description: ~ }\n  b: { command: node, alias: "", url: "" }\n', 'test.yaml', {});
    expect(loaded.config.mcp_servers).toEqual({ a: { url: 'https://example.com/mcp' }, b: { command: 'node' } });
  });

  it('accepts names with the separator (LiteLLM\'s Terraform examples) but not two that nest around it', () => {
    const terraform = '  example-http-server: { url: "https://example.com/mcp", alias: http-example }\n  local-tools: { command: node }\n';
    expect(servers(terraform)).toEqual([]);
    expect(servers('  a: { url: "https://example.com/mcp" }\n  a__b: { url: "https://example.com/mcp" }\n', { MCP_TOOL_PREFIX_SEPARATOR: '__' })).toEqual([
      'mcp_servers.a__b: nests with the name or alias of MCP server "a" around the tool name separator "__", so prefixed tool names would be ambiguous',
    ]);
    expect(servers('  a: { url: "https://example.com/mcp" }\n  a-b: { url: "https://example.com/mcp" }\n', { MCP_TOOL_PREFIX_SEPARATOR: '__' })).toEqual([]);
    // With a two-character separator `a` and `a_` nest as well: `a___x` is `a`'s `_x` or `a_`'s `x`.
    expect(servers('  a: { url: "https://example.com/mcp" }\n  a_: { url: "https://example.com/mcp" }\n', { MCP_TOOL_PREFIX_SEPARATOR: '__' })).toEqual([
      'mcp_servers.a_: nests with the name or alias of MCP server "a" around the tool name separator "__", so prefixed tool names would be ambiguous',
    ]);
  });

  it('defers oauth2 credentials whose os.environ variable is unset, and checks a mistyped server only for its types', () => {
    expect(servers('  o: { url: "https://example.com/mcp", auth_type: oauth2, client_id: os.environ/UNSET_ID, client_secret: s, token_url: "https://auth/t" }\n')).toEqual([]);
    expect(servers('  t: { url: "ftp://example.com", args: 5 }\n')).toEqual(['mcp_servers.t.args: must be array']);
  });
});
