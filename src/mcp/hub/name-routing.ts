/**
 * Names across the gateway boundary: how upstream tool/prompt names are shown in a scope, how a name sent
 * by the client is routed back to (server, upstream name), and the server's allow/deny lists.
 */
import { mayUseTool } from '../../auth/permissions.js';
import { McpNameNotFoundError, McpParamsNotAllowedError, McpServerNotAllowedError, McpToolNotAllowedError } from '../../http/errors.js';
import type { QualifiedNames } from '../names.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { McpScope } from './scope.js';

export interface RoutedName {
  server: McpServerDefinition;
  /** The upstream's own name. */
  name: string;
}

export function displayName(names: QualifiedNames, scope: McpScope, server: McpServerDefinition, name: string): string {
  return scope.prefixed ? names.qualify(server.prefix, name) : name;
}

/**
 * Routes a client-sent name. In a one-server scope both the upstream's own name and the prefixed form work
 * (`exists` settles a name that merely looks prefixed); otherwise the longest server prefix decides.
 */
export async function routeName(
  names: QualifiedNames,
  scope: McpScope,
  kind: 'tool' | 'prompt',
  sent: string,
  exists: (server: McpServerDefinition, name: string) => Promise<boolean>,
): Promise<RoutedName> {
  const parsed = names.parse(sent);
  const owner = parsed ? scope.servers.find((server) => server.prefix === parsed.prefix) : undefined;
  // A name prefixed with a server the caller may not use is refused, unless the one server in scope has it as is.
  const denied = parsed !== undefined && owner === undefined && scope.access.deniedPrefixes.has(parsed.prefix);
  const refuse = () => {
    throw new McpServerNotAllowedError(`This API key is not allowed to use MCP server "${parsed?.prefix ?? ''}" (${kind} "${sent}").`, { param: 'name' });
  };
  if (scope.servers.length === 1) {
    const only = scope.servers[0];
    if (owner === only && parsed && !(await exists(only, sent))) return { server: only, name: parsed.name };
    if (denied && !(await exists(only, sent))) refuse();
    return { server: only, name: sent };
  }
  if (owner && parsed) return { server: owner, name: parsed.name };
  if (denied) refuse();
  throw new McpNameNotFoundError(`No server in scope has a ${kind} named "${sent}".`, { param: 'name' });
}

/** `allowed_tools` / `disallowed_tools`, matched case-insensitively against the plain or prefixed name. */
export function toolAllowed(names: QualifiedNames, server: McpServerDefinition, tool: string): boolean {
  const forms = [tool.toLowerCase(), names.qualify(server.prefix, tool).toLowerCase()];
  const listed = (list: string[]) => list.some((entry) => forms.includes(entry.toLowerCase()));
  if (server.allowedTools && !listed(server.allowedTools)) return false;
  if (server.disallowedTools && listed(server.disallowedTools)) return false;
  return true;
}

/** The server's filters and the caller's permissions (`mcp_tool_permissions`) both allow the tool. */
export function toolVisible(names: QualifiedNames, scope: McpScope, server: McpServerDefinition, tool: string): boolean {
  return toolAllowed(names, server, tool) && mayUseTool(scope.access, server, tool);
}

export function assertToolAllowed(names: QualifiedNames, scope: McpScope, server: McpServerDefinition, tool: string): void {
  if (!toolAllowed(names, server, tool)) {
    throw new McpToolNotAllowedError(`Tool "${tool}" of MCP server "${server.name}" is not allowed by the gateway's configuration.`, {
      param: 'name',
    });
  }
  if (!mayUseTool(scope.access, server, tool)) {
    throw new McpToolNotAllowedError(`This API key is not allowed to call tool "${tool}" of MCP server "${server.name}".`, { param: 'name' });
  }
}

/**
 * `allowed_params`: every argument of a listed tool must be named in its list. The tool key is matched exactly, else
 * case-insensitively like `allowed_tools`, so a key written `getPetById` still restricts the OpenAPI tool `getpetbyid`.
 */
export function assertParamsAllowed(server: McpServerDefinition, tool: string, args: Record<string, unknown> | undefined): void {
  const allowed = paramsFor(server.allowedParams, tool);
  if (!allowed || !args) return;
  const extra = Object.keys(args).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    throw new McpParamsNotAllowedError(
      `Arguments not allowed for tool "${tool}" of MCP server "${server.name}": ${extra.join(', ')} (allowed: ${allowed.join(', ') || 'none'}).`,
      { param: 'arguments' },
    );
  }
}

function paramsFor(map: Record<string, string[]> | undefined, tool: string): string[] | undefined {
  if (map === undefined) return undefined;
  if (Object.hasOwn(map, tool)) return map[tool];
  const lower = tool.toLowerCase();
  const key = Object.keys(map).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : map[key];
}
