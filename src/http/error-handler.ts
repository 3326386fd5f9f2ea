/**
 * Maps every failure on the HTTP surface to the OpenAI error object with the right status:
 * our GatehouseErrors as they are, Fastify's own body/validation failures to ours, anything else to 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  GatehouseError,
  InternalError,
  InvalidJsonError,
  InvalidRequestError,
  MethodNotAllowedError,
  RequestTooLargeError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
  toOpenAIErrorBody,
} from './errors.js';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toGatehouseError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ err: error }, 'request rejected');
    return reply.code(mapped.status).headers(mapped.headers).send(toOpenAIErrorBody(mapped));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new RouteNotFoundError(`No route for ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(error.status).send(toOpenAIErrorBody(error));
  });
}

function toGatehouseError(error: FastifyError): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const validation = (error as { validation?: ValidationIssue[] }).validation;
  if (validation && validation.length > 0) return fromValidation(validation);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestTooLargeError('Request body is larger than the configured limit (general_settings.max_request_size_mb).');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError('Content-Type must be application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidJsonError('Request body is empty; expected a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new InvalidJsonError(`Request body is not valid JSON: ${error.message}`);
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new InvalidJsonError(`Request body is not valid JSON: ${error.message}`);
  }
  if (error.statusCode === 405) return new MethodNotAllowedError(error.message);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new InvalidRequestError(error.message);
  }
  return new InternalError('Internal server error.', { cause: error });
}

/** Names the first offending field as OpenAI does (`param: "messages[0].role"`). */
function fromValidation(issues: ValidationIssue[]): InvalidRequestError {
  const issue = issues[0];
  let param = issue.instancePath
    .split('/')
    .slice(1)
    .reduce((path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`), '');
  if (issue.keyword === 'required') {
    const missing = String(issue.params.missingProperty);
    param = param === '' ? missing : `${param}.${missing}`;
    return new InvalidRequestError(`Missing required parameter: '${param}'.`, { param });
  }
  const detail =
    issue.keyword === 'enum'
      ? `must be one of ${(issue.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
      : (issue.message ?? 'is invalid');
  return new InvalidRequestError(`Invalid value for '${param || 'body'}': ${detail}.`, { param: param || null });
}
