/**
 * Reads config.yaml: YAML → `os.environ/NAME` resolution → ajv validation against CONFIG_SCHEMA → the MCP server
 * rules (shared with the admin API) on `mcp_servers`. Problems name the YAML path
 * (`model_list[2].litellm_params.model: ...`); unknown keys are collected into one warning instead of failing, so a
 * LiteLLM config with keys we do not implement still loads.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { mcpServersConfigProblems } from '../mcp/config-server-rules.js';
import { ConfigError } from './config-error.js';
import { resolveEnvRefs, type MissingEnv } from './resolve-env.js';
import { CONFIG_SCHEMA, type Config } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** Where it came from (a path, or `<embedded>`), for messages. */
  source: string;
  /** Values whose `os.environ/NAME` variable is unset (removed from `config`). */
  missingEnv: MissingEnv[];
  /** Human-readable warnings to log once at start. */
  warnings: string[];
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateConfig = ajv.compile(CONFIG_SCHEMA);

/** Paths whose `os.environ/` variable may be unset at start: the call fails later, naming the variable. */
const DEFERRABLE_ENV =
  /^(model_list\[\d+\]\.litellm_params\.api_key|mcp_servers\.[^.]+\.(auth_value|authentication_token|client_id|client_secret|static_headers\..+|env\..+))$/;

export async function loadConfigFile(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`], path);
  }
  return parseConfig(text, path, env);
}

export function parseConfig(
  text: string,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
): LoadedConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message : String(error);
    throw new ConfigError([`not valid YAML: ${detail}`], source);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(['(root): must be a mapping with at least `model_list`'], source);
  }

  const ownEnv = (raw as { environment_variables?: unknown }).environment_variables;
  const mergedEnv =
    ownEnv !== null && typeof ownEnv === 'object' ? { ...env, ...stringEntries(ownEnv) } : env;
  const { value, missing } = resolveEnvRefs(raw, mergedEnv);

  const problems: string[] = [];
  const unknownKeys: string[] = [];
  /** Servers whose entry failed the schema: the MCP server rules would read fields of the wrong type. */
  const mistypedServers = new Set<string>();
  let serversMistyped = false;
  if (!validateConfig(value)) {
    for (const error of validateConfig.errors ?? []) {
      if (error.keyword === 'additionalProperties') {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        unknownKeys.push(joinPath(yamlPath(error.instancePath), key));
      } else {
        problems.push(describe(error));
        if (error.instancePath === '/mcp_servers') serversMistyped = true;
        const server = /^\/mcp_servers\/([^/]+)/.exec(error.instancePath)?.[1];
        if (server !== undefined) mistypedServers.add(server.replace(/~1/g, '/').replace(/~0/g, '~'));
      }
    }
  }
  for (const entry of missing) {
    if (!DEFERRABLE_ENV.test(entry.path)) {
      problems.push(`${entry.path}: environment variable ${entry.variable} is not set`);
    }
  }
  const config = withoutUnsetServerKeys(stripUnknown(value, unknownKeys) as Config);
  // `env`, not `mergedEnv`: the separator must be the one the registry is built with (mcp/build-mcp.ts).
  if (!serversMistyped) problems.push(...mcpServersConfigProblems(config, env, missing, mistypedServers));
  if (problems.length > 0) throw new ConfigError(dedupe(problems), source);

  const warnings: string[] = [];
  if (unknownKeys.length > 0) warnings.push(`ignoring unknown config keys: ${unknownKeys.sort().join(', ')}`);
  return { config, source, missingEnv: missing, warnings };
}

/** In an `mcp_servers` entry a null value, and an empty `alias` or `url`, mean unset (as in the admin API). */
function withoutUnsetServerKeys(config: Config): Config {
  const servers = config.mcp_servers;
  if (servers === null || typeof servers !== 'object') return config;
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(servers as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      out[name] = entry;
      continue;
    }
    out[name] = Object.fromEntries(
      Object.entries(entry).filter(([key, item]) => item !== null && !((key === 'alias' || key === 'url') && item === '')),
    );
  }
  return { ...config, mcp_servers: out as Config['mcp_servers'] };
}

/** `/model_list/2/litellm_params/model` → `model_list[2].litellm_params.model`. */
export function yamlPath(instancePath: string): string {
  let out = '';
  for (const segment of instancePath.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^\d+$/.test(key) ? `${out}[${key}]` : joinPath(out, key);
  }
  return out;
}

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function describe(error: ErrorObject): string {
  const path = yamlPath(error.instancePath);
  if (error.keyword === 'required') {
    const missingKey = (error.params as { missingProperty: string }).missingProperty;
    return `${joinPath(path, missingKey)}: is required`;
  }
  if (error.keyword === 'pattern' && path.endsWith('litellm_params.model')) {
    return `${path}: must be "<provider>/<model>", e.g. "openai/gpt-4o"`;
  }
  if (error.keyword === 'pattern' && path.endsWith('api_base')) {
    return `${path}: must be an http(s) URL`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${path || '(root)'}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${path || '(root)'}: ${error.message ?? 'is invalid'}`;
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

function stringEntries(map: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Drops the reported unknown keys so that nothing downstream sees them. */
function stripUnknown(tree: unknown, unknownPaths: readonly string[]): unknown {
  if (unknownPaths.length === 0) return tree;
  const drop = new Set(unknownPaths);
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const childPath = joinPath(path, key);
      if (!drop.has(childPath)) out[key] = walk(child, childPath);
    }
    return out;
  };
  return walk(tree, '');
}
