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
