export * from './loop-types.js';
export { parseMcpToolSpecs, isMcpTool, type McpToolEntry } from './mcp-tool-spec.js';
export { prepareLoopTools, assertListed, type ToolSourceDeps, type PrepareToolsOptions } from './prepare-tools.js';
export { runToolLoop, streamToolLoop, runLoopWith, clientFunctionNames, type CallModel } from './run-loop.js';
export type { RoundOutcome } from './model-round.js';
export { unansweredToolCalls } from './unanswered-calls.js';
export { ToolSchemas, checkArguments, normaliseInputSchema } from './tool-schemas.js';
export { resultText } from './result-text.js';
export { loopLimitsFromConfig } from './loop-limits.js';
