/**
 * `mcp_servers.<name>` keys of an OpenAPI server (`spec_path`, `allowed_tags`, `spec_refresh_interval`,
 * `tool_name_to_display_name`, `tool_name_to_description`, `request_timeout`) → its settings. The rules they must
 * pass are mcp/mcp-server-rules.ts, shared with the admin API.
 */
import { dirname, resolve } from 'node:path';
import { OPENAPI_REQUEST_TIMEOUT_S } from '../config/defaults.js';
import type { McpServerEntry } from '../config/schema.js';
import type { OpenApiSettings } from '../mcp/server-definition.js';

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
