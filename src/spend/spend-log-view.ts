/**
 * How `GET /spend/logs` shows a row: LiteLLM's field names (`request_id, call_type, api_key, spend, total_tokens,
 * prompt_tokens, completion_tokens, startTime, endTime, model, team_id, …`, ISO 8601 times), plus Gatehouse's
 * `organization_id`, `status`, `parent_request_id` and `request_duration_ms`. `mcp_namespaced_tool_name` is set on
 * tool-call rows (`<server>/<tool>`), as LiteLLM's MCP rows carry it.
 */
import type { SpendLogRow } from '../store/index.js';

const MCP_MODEL_PREFIX = 'MCP: ';

export function spendLogView(row: SpendLogRow) {
  return {
    request_id: row.request_id,
    call_type: row.call_type,
    api_key: row.api_key,
    spend: row.spend,
    total_tokens: row.total_tokens,
    prompt_tokens: row.prompt_tokens,
    completion_tokens: row.completion_tokens,
    startTime: new Date(row.start_time).toISOString(),
    endTime: new Date(row.end_time).toISOString(),
    request_duration_ms: row.end_time - row.start_time,
    model: row.model,
    team_id: row.team_id,
    organization_id: row.organization_id,
    status: row.status,
    parent_request_id: row.parent_request_id,
    mcp_namespaced_tool_name: row.model.startsWith(MCP_MODEL_PREFIX) ? row.model.slice(MCP_MODEL_PREFIX.length) : null,
  };
}
