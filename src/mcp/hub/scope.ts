/** What one downstream request may see: which servers, and whether names carry the server prefix. */
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import type { McpAccess } from '../../auth/permissions.js';
import type { RequestSpend } from '../../spend/spend-types.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { DownstreamCall } from './downstream-call.js';

export interface McpScope {
  servers: readonly McpServerDefinition[];
  /**
   * Aggregate scopes (and `x-mcp-servers`) show `<prefix><sep><name>`; a single server chosen by path,
   * `x-litellm-mcp-server` or `?server=` shows the upstream's own names (the gateway is transparent).
   */
  prefixed: boolean;
  /**
   * The caller's MCP permissions (auth/permissions.ts), fixed when the scope is built: `servers` only holds servers
   * it allows, and the hub filters and checks tools against it. Scopes derived from this one spread it along.
   */
  access: McpAccess;
}

/** Per-request inputs every hub operation takes. */
export interface McpRequestContext {
  headers: McpClientHeaders;
  signal?: AbortSignal;
  /** The downstream request, when it can take server-to-client traffic (sessions). */
  call?: DownstreamCall;
  /**
   * Set when an LLM request's tool loop makes the call (issue #7): the hub records the priced tool call as a child
   * of `spend.requestId` and adds its cost to the request's total.
   */
  spend?: RequestSpend;
}

/** One server's failure inside an aggregate answer: reported, never turned into a silent empty list. */
export interface ServerFailure {
  server: string;
  message: string;
}
