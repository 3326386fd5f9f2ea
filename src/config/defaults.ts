/** Defaults for everything config.yaml may leave out. One place, so docs/config.md can cite it. */

export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '0.0.0.0';
/** LiteLLM's `general_settings.max_request_size_mb`; big enough for a few base64 images. */
export const DEFAULT_MAX_REQUEST_SIZE_MB = 32;
/** Seconds an upstream call may take when neither the deployment nor the router sets a timeout. */
export const DEFAULT_REQUEST_TIMEOUT_S = 600;
/** Router-level retries over a model group (on 429, 5xx, timeouts and connection errors). */
export const DEFAULT_NUM_RETRIES = 2;
/** First retry waits about this long; each further retry doubles it, up to the cap. */
export const RETRY_BACKOFF_BASE_MS = 100;
export const RETRY_BACKOFF_CAP_MS = 2_000;
/** An upstream asking for a longer wait (retry-after) is not retried: the 429 goes to the client. */
export const MAX_HONOURED_RETRY_AFTER_S = 10;

/** MCP gateway. */
export const MCP_CALL_TIMEOUT_S = 60;
/** Listing is bounded separately so one hanging upstream cannot stall an aggregate tools/list for long. */
export const MCP_LIST_TIMEOUT_MS = 15_000;
/** Catalogs are refreshed on list_changed, and at least this often. */
export const MCP_CATALOG_TTL_MS = 5 * 60_000;
/** Downstream sessions unused this long are closed. */
export const MCP_SESSION_IDLE_MS = 30 * 60_000;
/** Upstream sessions (and stdio children) unused this long are closed. */
export const MCP_UPSTREAM_IDLE_MS = 10 * 60_000;
/** The most one upstream MCP message (a JSON body or one SSE event) may take. */
export const MCP_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** `type: "mcp"` tools: rounds of tool execution per request before the loop stops with `finish_reason: "length"`. */
export const MCP_MAX_TOOL_ROUNDS = 10;
/** A tool result longer than this (characters) is cut before the model sees it. */
export const MCP_TOOL_OUTPUT_MAX_CHARS = 100_000;

/** OpenAPI servers (`mcp_servers.<name>.spec_path`). Seconds one REST call may take (`request_timeout`). */
export const OPENAPI_REQUEST_TIMEOUT_S = 30;
/** A REST answer larger than this is not read; the tool call fails saying so. */
export const OPENAPI_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** Fetching one spec document (or one file it references) over HTTP. */
export const OPENAPI_SPEC_TIMEOUT_MS = 30_000;
export const OPENAPI_SPEC_MAX_BYTES = 20 * 1024 * 1024;
/** A spec that failed to load is tried again on use, at most this often. */
export const OPENAPI_SPEC_RETRY_MS = 30_000;

/** Spend logs (issue #7): seconds between batch writes (`general_settings.proxy_batch_write_at`). */
export const SPEND_LOG_FLUSH_INTERVAL_S = 1;
/** A batch is written as soon as this many rows wait, without waiting for the timer. */
export const SPEND_LOG_BATCH_SIZE = 500;
/** Rows kept while the store is failing; beyond this the oldest are dropped (and logged). */
export const SPEND_LOG_MAX_BUFFERED = 50_000;
