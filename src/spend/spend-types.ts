/**
 * The contract between what prices work (LLM rounds: spend/llm-*, MCP tool calls: the hub's instrumentation)
 * and what consumes the prices (the batched spend-log writer, budgets and rate-limit counters). Producers
 * build a SpendRecord and hand it to a SpendSink; a sink never blocks or throws into the request path.
 */

/** The caller a record is charged to (from auth/: the key's hash, its team and organisation). */
export interface SpendOwner {
  /** sha256 hex of the virtual key; absent for the master key and an open proxy. */
  keyHash?: string;
  teamId?: string;
  organizationId?: string;
}

/** One priced unit of work: one LLM request (all its rounds) or one MCP tool call. */
export interface SpendRecord extends SpendOwner {
  /** The HTTP request id (Fastify's `request.id`); tool calls made by an LLM request get their own id. */
  requestId: string;
  /** For a tool call made inside an LLM request's tool loop: that LLM request's id. */
  parentRequestId?: string;
  callType: 'chat_completion' | 'responses' | 'call_mcp_tool';
  /** The model name as the client asked for it, or `MCP: <server>/<tool>` for a tool call. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** USD. */
  cost: number;
  startTime: Date;
  endTime: Date;
  status: 'success' | 'failure';
}

/** Takes records off the request path (batched, asynchronous); must not throw. */
export interface SpendSink {
  record(record: SpendRecord): void;
}

/**
 * What one LLM request carries into the hub while its tool loop runs: the hub prices each tool call, records
 * it as a child of `requestId`, and adds its cost here so the LLM request's total (and the
 * `x-litellm-response-cost` header) includes it.
 */
export interface RequestSpend extends SpendOwner {
  requestId: string;
  addToolCost(cost: number): void;
}
