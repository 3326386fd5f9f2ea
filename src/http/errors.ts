/**
 * Every error Gatehouse returns, one class per failure with a stable `code`, an HTTP `status` and an
 * OpenAI error `type`. Mapped to the wire once, at the edge (`toOpenAIErrorBody`). Codes are listed in
 * docs/errors.md (test/unit/http/errors.test.ts enforces it) and never reused for another meaning.
 */

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'server_error'
  /** OpenAI's type for a failing MCP server behind a `type: "mcp"` tool (HTTP 424). */
  | 'external_connector_error'
  /** LiteLLM's type for a key, team or organisation over its `max_budget` (HTTP 429). */
  | 'budget_exceeded';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export abstract class GatehouseError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  abstract readonly type: OpenAIErrorType;
  /** The request field at fault, when there is one. */
  readonly param: string | null;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers: Record<string, string>;

  constructor(message: string, options: { param?: string | null; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }
}

export class InvalidJsonError extends GatehouseError {
  readonly code = 'invalid_json';
  readonly status = 400;
  readonly type = 'invalid_request_error';
}

export class InvalidRequestError extends GatehouseError {
  readonly code = 'invalid_request';
  readonly status = 400;
  readonly type = 'invalid_request_error';
}

export class MissingApiKeyError extends GatehouseError {
  readonly code = 'missing_api_key';
  readonly status = 401;
  readonly type = 'authentication_error';
}

export class InvalidApiKeyError extends GatehouseError {
  readonly code = 'invalid_api_key';
  readonly status = 401;
  readonly type = 'authentication_error';
}

/** DNS-rebinding protection: the request's Host or Origin is not loopback and not in `mcp_allowed_hosts` / `mcp_allowed_origins`. */
export class HostNotAllowedError extends GatehouseError {
  readonly code = 'host_not_allowed';
  readonly status = 403;
  readonly type = 'permission_error';
}

/** A deployment's credential comes from an environment variable that is not set. */
export class UpstreamCredentialMissingError extends GatehouseError {
  readonly code = 'upstream_credential_missing';
  readonly status = 401;
  readonly type = 'authentication_error';
}

export class ModelNotFoundError extends GatehouseError {
  readonly code = 'model_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

/** `GET`/`DELETE /v1/responses/{id}` (or its input items) for a response that is not stored. */
export class ResponseNotFoundError extends GatehouseError {
  readonly code = 'response_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

/** `previous_response_id` names a response that is not stored (never stored, `store: false`, or deleted). */
export class PreviousResponseNotFoundError extends GatehouseError {
  readonly code = 'previous_response_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

export class RouteNotFoundError extends GatehouseError {
  readonly code = 'route_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

export class MethodNotAllowedError extends GatehouseError {
  readonly code = 'method_not_allowed';
  readonly status = 405;
  readonly type = 'invalid_request_error';
}

export class RequestTooLargeError extends GatehouseError {
  readonly code = 'request_too_large';
  readonly status = 413;
  readonly type = 'invalid_request_error';
}

export class UnsupportedMediaTypeError extends GatehouseError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
  readonly type = 'invalid_request_error';
}

/** The upstream rejected the request with a 4xx; its status and scrubbed message are passed on. */
export class UpstreamRejectedError extends GatehouseError {
  readonly code: string;
  readonly status: number;
  readonly type: OpenAIErrorType;
  constructor(status: number, message: string, options: { param?: string | null; code?: string; cause?: unknown } = {}) {
    super(message, options);
    this.status = status;
    this.code = options.code ?? 'upstream_rejected';
    this.type = status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : 'invalid_request_error';
  }
}

export class RateLimitedError extends GatehouseError {
  readonly code = 'rate_limit_exceeded';
  readonly status = 429;
  readonly type = 'rate_limit_error';
}

/** A key, team or organisation has spent its `max_budget` for the current `budget_duration` (issue #7). */
export class BudgetExceededError extends GatehouseError {
  readonly code = 'budget_exceeded';
  readonly status = 429;
  readonly type = 'budget_exceeded';
}

/** A `callbacks:` hook module threw (or returned something unusable) while handling this request (issue #7). */
export class HookFailedError extends GatehouseError {
  readonly code = 'hook_failed';
  readonly status = 500;
  readonly type = 'server_error';
}

export class UpstreamFailedError extends GatehouseError {
  readonly code = 'upstream_error';
  readonly status = 502;
  readonly type = 'api_error';
}

export class UpstreamUnavailableError extends GatehouseError {
  readonly code = 'upstream_unavailable';
  readonly status = 503;
  readonly type = 'api_error';
}

export class UpstreamTimedOutError extends GatehouseError {
  readonly code = 'upstream_timeout';
  readonly status = 504;
  readonly type = 'timeout_error';
}

/** An MCP server name, alias or access group that is not configured. */
export class McpServerNotFoundError extends GatehouseError {
  readonly code = 'mcp_server_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

/** A tool, prompt or resource that no server in scope has. */
export class McpNameNotFoundError extends GatehouseError {
  readonly code = 'mcp_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

/** The server's `allowed_tools` / `disallowed_tools` (or the caller's permissions) exclude the tool. */
export class McpToolNotAllowedError extends GatehouseError {
  readonly code = 'mcp_tool_not_allowed';
  readonly status = 403;
  readonly type = 'permission_error';
}

/** Arguments outside the server's `allowed_params` for the tool. */
export class McpParamsNotAllowedError extends GatehouseError {
  readonly code = 'mcp_params_not_allowed';
  readonly status = 403;
  readonly type = 'permission_error';
}

/** A server credential names an unset environment variable. */
export class McpCredentialMissingError extends GatehouseError {
  readonly code = 'mcp_credential_missing';
  readonly status = 401;
  readonly type = 'authentication_error';
}

/**
 * An `auth_type: oauth2` server on the interactive flow, and the request carries no user token for it (or the
 * upstream refused the one it carried): the MCP client must authorize through the server's own endpoint.
 */
export class McpOAuthRequiredError extends GatehouseError {
  readonly code = 'mcp_oauth_required';
  readonly status = 401;
  readonly type = 'authentication_error';
}

/** The upstream MCP server could not be reached, crashed, or broke the protocol. */
export class McpUpstreamError extends GatehouseError {
  readonly code = 'mcp_upstream_error';
  readonly status = 502;
  readonly type = 'api_error';
}

export class McpUpstreamTimeoutError extends GatehouseError {
  readonly code = 'mcp_upstream_timeout';
  readonly status = 504;
  readonly type = 'timeout_error';
}

/**
 * A remote MCP `server_url` (a `type: "mcp"` tool) that the egress policy refuses: not http(s), or a host that is or
 * resolves to a loopback, link-local, private or otherwise internal address not in `general_settings.mcp_egress_allowlist`.
 */
export class McpEgressDeniedError extends GatehouseError {
  readonly code = 'mcp_egress_denied';
  readonly status = 403;
  readonly type = 'permission_error';
}

/** A remote MCP `server_url` whose host does not resolve (DNS), so the server cannot be reached. */
export class McpHostUnresolvedError extends GatehouseError {
  readonly code = 'mcp_host_unresolved';
  readonly status = 424;
  readonly type = 'external_connector_error';
}

/** A `type: "mcp"` tool's server could not list its tools, so the model was never called (OpenAI answers 424). */
export class McpToolListFailedError extends GatehouseError {
  readonly code = 'mcp_tool_list_failed';
  readonly status = 424;
  readonly type = 'external_connector_error';
}

/** `POST`/`PUT /v1/mcp/server`: the `server_id`, name or alias is already used by another server (LiteLLM answers 400). */
export class McpServerExistsError extends GatehouseError {
  readonly code = 'mcp_server_exists';
  readonly status = 400;
  readonly type = 'invalid_request_error';
}

/** An admin-only route (writes on `/v1/mcp/server`, key/team/org management) called by a non-admin (not the master key). */
export class AdminRequiredError extends GatehouseError {
  readonly code = 'admin_required';
  readonly status = 403;
  readonly type = 'permission_error';
}

/** A secret (MCP `credentials`, stdio `env`, `static_headers`) cannot be stored: neither `LITELLM_SALT_KEY` nor a master key is set. */
export class SecretKeyMissingError extends GatehouseError {
  readonly code = 'secret_key_missing';
  readonly status = 400;
  readonly type = 'invalid_request_error';
}

/**
 * An OpenAPI server's spec (`mcp_servers.<name>.spec_path`) could not be read, parsed, validated or turned into
 * tools, or names no usable base URL; the message names the server and the cause.
 */
export class OpenApiSpecError extends GatehouseError {
  readonly code = 'openapi_spec_error';
  readonly status = 502;
  readonly type = 'api_error';
}

/** A virtual key whose `expires` has passed (issue #6). */
export class KeyExpiredError extends GatehouseError {
  readonly code = 'key_expired';
  readonly status = 401;
  readonly type = 'authentication_error';
}

/** A virtual key that is blocked, or whose team is (`/key/block`, `blocked: true`). */
export class KeyBlockedError extends GatehouseError {
  readonly code = 'key_blocked';
  readonly status = 401;
  readonly type = 'authentication_error';
}

export type ModelAccessDeniedCode = 'key_model_access_denied' | 'team_model_access_denied' | 'organization_model_access_denied';

/** A virtual key asks for a model outside its own, its team's or its organisation's `models` (LiteLLM's codes). */
export class ModelAccessDeniedError extends GatehouseError {
  readonly code: ModelAccessDeniedCode;
  readonly status = 403;
  readonly type = 'permission_error';
  constructor(message: string, options: { code?: ModelAccessDeniedCode; param?: string | null } = {}) {
    super(message, options);
    this.code = options.code ?? 'key_model_access_denied';
  }
}

/** A virtual key names (or calls a tool of) an MCP server its grants do not include. */
export class McpServerNotAllowedError extends GatehouseError {
  readonly code = 'mcp_server_not_allowed';
  readonly status = 403;
  readonly type = 'permission_error';
}

/** `/key/*`: no key with that token, `sk-…` value or alias. */
export class KeyNotFoundError extends GatehouseError {
  readonly code = 'key_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

export class TeamNotFoundError extends GatehouseError {
  readonly code = 'team_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

export class OrganizationNotFoundError extends GatehouseError {
  readonly code = 'organization_not_found';
  readonly status = 404;
  readonly type = 'invalid_request_error';
}

/** A `key_alias`, `team_id` or `organization_id` that another key, team or organisation already has. */
export class AlreadyExistsError extends GatehouseError {
  readonly code = 'already_exists';
  readonly status = 400;
  readonly type = 'invalid_request_error';
}

export class InternalError extends GatehouseError {
  readonly code = 'internal_error';
  readonly status = 500;
  readonly type = 'server_error';
}

/** Every code above; the docs test walks this list. */
export const ERROR_CODES: readonly string[] = [
  'invalid_json',
  'invalid_request',
  'missing_api_key',
  'invalid_api_key',
  'host_not_allowed',
  'upstream_credential_missing',
  'model_not_found',
  'route_not_found',
  'response_not_found',
  'previous_response_not_found',
  'method_not_allowed',
  'request_too_large',
  'unsupported_media_type',
  'upstream_rejected',
  'upstream_auth_failed',
  'rate_limit_exceeded',
  'budget_exceeded',
  'hook_failed',
  'upstream_error',
  'upstream_unavailable',
  'upstream_timeout',
  'mcp_server_not_found',
  'mcp_not_found',
  'mcp_tool_not_allowed',
  'mcp_params_not_allowed',
  'mcp_credential_missing',
  'mcp_oauth_required',
  'mcp_upstream_error',
  'mcp_upstream_timeout',
  'mcp_egress_denied',
  'mcp_host_unresolved',
  'mcp_tool_list_failed',
  'mcp_server_exists',
  'admin_required',
  'secret_key_missing',
  'key_expired',
  'key_blocked',
  'key_model_access_denied',
  'team_model_access_denied',
  'organization_model_access_denied',
  'mcp_server_not_allowed',
  'key_not_found',
  'team_not_found',
  'organization_not_found',
  'already_exists',
  'openapi_spec_error',
  'internal_error',
];

export function toOpenAIErrorBody(error: GatehouseError): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
