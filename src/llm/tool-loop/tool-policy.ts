/**
 * OpenAI's per-tool policies of a `type: "mcp"` tool: which listed tools the model is offered (`allowed_tools`)
 * and which calls need the client's approval (`require_approval`), both matched by the same filter rule.
 */
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalPolicy, ToolFilter } from './loop-types.js';

/**
 * A filter matches a tool when every criterion it states holds (AND): the name is in `tool_names`, and
 * `annotations.readOnlyHint` (false when absent, as MCP defines it) equals `read_only`.
 */
export function matchesFilter(tool: McpTool, filter: ToolFilter): boolean {
  if (filter.toolNames !== undefined && !filter.toolNames.includes(tool.name)) return false;
  if (filter.readOnly !== undefined && (tool.annotations?.readOnlyHint ?? false) !== filter.readOnly) return false;
  return true;
}

/** `allowed_tools`: no filter offers every tool. */
export function isToolAllowed(tool: McpTool, allowed: ToolFilter | undefined): boolean {
  return allowed === undefined || matchesFilter(tool, allowed);
}

/**
 * `require_approval`: in the object form a tool matching `always` needs approval, else one matching `never`
 * runs without, and any other tool needs approval (the safe default, as for an omitted policy).
 */
export function needsApproval(tool: McpTool, policy: ApprovalPolicy): boolean {
  switch (policy.mode) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'filter':
      if (policy.always !== undefined && matchesFilter(tool, policy.always)) return true;
      return policy.never === undefined || !matchesFilter(tool, policy.never);
  }
}
