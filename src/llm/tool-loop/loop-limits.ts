/** The loop's limits from config, decided once at startup. */
import { MCP_CALL_TIMEOUT_S, MCP_MAX_TOOL_ROUNDS, MCP_TOOL_OUTPUT_MAX_CHARS } from '../../config/defaults.js';
import type { Config } from '../../config/schema.js';
import type { LoopLimits } from './loop-types.js';

/** `general_settings.mcp_max_tool_rounds` and `mcp_call_timeout` (the same per-call bound as the hub's). */
export function loopLimitsFromConfig(config: Config): LoopLimits {
  const settings = config.general_settings ?? {};
  return {
    maxRounds: settings.mcp_max_tool_rounds ?? MCP_MAX_TOOL_ROUNDS,
    callTimeoutMs: (settings.mcp_call_timeout ?? MCP_CALL_TIMEOUT_S) * 1000,
    outputMaxChars: MCP_TOOL_OUTPUT_MAX_CHARS,
  };
}
