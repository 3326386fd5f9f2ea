/**
 * Responses API routes: POST /v1/responses (and /responses), GET and DELETE /v1/responses/{id}, GET
 * /v1/responses/{id}/input_items, POST /v1/responses/{id}/cancel. Each handler validates (body schema compiled at
 * registration), calls the Responses service and replies; streaming replies are written by the service after it
 * hijacks the reply.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assertModelAllowed } from '../auth/permissions.js';
import { callerOf, resolveCallerHook } from '../auth/request-caller.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import { InvalidRequestError } from '../http/errors.js';
import type { ResponsesMcpDeps } from './responses/prepare-response.js';
import { RESPONSES_REQUEST_SCHEMA, type ResponsesRequest } from './responses/request-schema.js';
import type { ResponseStore } from './responses/response-store.js';
import { ResponsesService } from './responses/responses-service.js';
import type { Router } from './router.js';
import { gateRequest, type BudgetGate } from '../spend/budget-gate.js';
import type { SpendMeter } from '../spend/request-spend.js';

export interface ResponsesRoutesOptions {
  router: Router;
  callers: CallerResolver;
  /** `type: "mcp"` tools: the same tool-loop dependencies the chat route uses. */
  mcpTools: ResponsesMcpDeps;
  /** Where responses are stored for GET, input_items and previous_response_id. */
  store: ResponseStore;
  /** Prices every request and records it (issue #7). */
  spend: SpendMeter;
  /** `max_budget`, `rpm_limit`, `tpm_limit`: 429 before any upstream call (issue #7). */
  budgets?: BudgetGate;
}

type ById = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

export const responsesRoutes: FastifyPluginAsync<ResponsesRoutesOptions> = async (app, { router, callers, mcpTools, store, spend, budgets }) => {
  const service = new ResponsesService({ router, store, mcp: mcpTools });
  app.addHook('onRequest', resolveCallerHook(callers));

  const create = async (request: FastifyRequest<{ Body: ResponsesRequest }>, reply: FastifyReply) => {
    const body = request.body;
    request.modelName = body.model;
    const caller = callerOf(request);
    assertModelAllowed(caller, body.model);
    await gateRequest(budgets, caller, reply.raw);
    const cost = spend.begin(request.id, caller, 'responses', body.model);
    const context = { headers: request.headers, signal: abortOnDisconnect(reply).signal, caller, spend: cost };
    let ok = false;
    try {
      if (body.stream === true) {
        // Streamed: the headers leave before the usage is known, so no cost header (as LiteLLM); the cost is stored.
        ({ ok } = await service.stream(body, context, reply.raw, (deploymentId) => {
          reply.hijack();
          return responseHeaders(request, deploymentId);
        }));
        return reply;
      }
      const { response, deploymentId } = await service.create(body, context);
      ok = response.status !== 'failed';
      return reply.headers({ ...responseHeaders(request, deploymentId), ...cost.costHeader() }).send(response);
    } finally {
      cost.finish(ok ? 'success' : 'failure');
    }
  };
  const retrieve = async (request: ById) => {
    if (request.query.stream !== undefined && request.query.stream !== 'false') {
      throw new InvalidRequestError('Streaming a stored response again is not supported by this proxy.', { param: 'stream' });
    }
    return service.retrieve(request.params.id, callerOf(request));
  };
  const remove = async (request: ById) => service.delete(request.params.id, callerOf(request));
  const inputItems = async (request: ById) => service.inputItems(request.params.id, request.query, callerOf(request));
  const cancel = async (request: ById) => service.cancel(request.params.id, callerOf(request));

  for (const prefix of ['/v1/responses', '/responses']) {
    app.post(prefix, { schema: { body: RESPONSES_REQUEST_SCHEMA } }, create);
    app.get(`${prefix}/:id`, retrieve);
    app.delete(`${prefix}/:id`, remove);
    app.get(`${prefix}/:id/input_items`, inputItems);
    app.post(`${prefix}/:id/cancel`, cancel);
  }
};

function responseHeaders(request: FastifyRequest, deploymentId: string | undefined): Record<string, string> {
  if (deploymentId) request.deploymentId = deploymentId;
  return deploymentId ? { 'x-request-id': request.id, 'x-litellm-model-id': deploymentId } : { 'x-request-id': request.id };
}
