/**
 * `mcp_servers.<name>` keys of an OpenAPI server (`spec_path`, `allowed_tags`, `spec_refresh_interval`,
 * `tool_name_to_display_name`, `tool_name_to_description`, `request_timeout`) → its validated settings, and the
 * problems (with their YAML path) the registry reports at load.
 */
import { dirname, resolve } from 'node:path';
import { OPENAPI_REQUEST_TIMEOUT_S } from '../config/defaults.js';
import type { McpServerEntry } from '../config/schema.js';
import type { OpenApiSettings } from '../mcp/server-definition.js';
import { toolNameProblem } from './tool-names.js';

export function openApiProblems(path: string, entry: McpServerEntry): string[] {
  const problems: string[] = [];
  const spec = entry.spec_path;
  if (spec !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !/^https?:\/\//i.test(spec)) {
    problems.push(`${path}.spec_path: must be a file path or an http(s) URL`);
  }
  if (spec !== undefined && /^https?:\/\//i.test(spec) && !URL.canParse(spec)) problems.push(`${path}.spec_path: is not a valid URL`);
  for (const [tool, display] of Object.entries(entry.tool_name_to_display_name ?? {})) {
    const problem = toolNameProblem(display);
    if (problem) problems.push(`${path}.tool_name_to_display_name.${tool}: ${problem}`);
  }
  return problems;
}

/** `source` is where the config came from: relative spec paths are taken from its folder when it is a file. */
export function openApiSettings(entry: McpServerEntry, source: string): OpenApiSettings {
  return {
    specPath: entry.spec_path ?? '',
    baseDir: source.startsWith('<') ? process.cwd() : dirname(resolve(source)),
    allowedTags: entry.allowed_tags,
    refreshIntervalS: entry.spec_refresh_interval,
    displayNames: entry.tool_name_to_display_name ?? {},
    descriptions: entry.tool_name_to_description ?? {},
    requestTimeoutMs: (entry.request_timeout ?? OPENAPI_REQUEST_TIMEOUT_S) * 1000,
  };
}
