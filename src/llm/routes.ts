/**
 * LLM routes: POST /v1/chat/completions (and /chat/completions), GET /v1/models (and /models, /v1/models/:id).
 * Each handler validates (schema compiled at registration), calls the router and replies.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatRequest } from '../../providers/index.js';
import { assertModelAllowed, modelAllowed } from '../auth/permissions.js';
import { callerOf, resolveCallerHook } from '../auth/request-caller.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import { ModelNotFoundError } from '../http/errors.js';
import { resolveMcpExtension } from './chat-mcp-extension.js';
import { CHAT_REQUEST_SCHEMA } from './chat-request-schema.js';
import { completeChatWithMcp, hasMcpTools, prepareChatLoop, streamChatWithMcp, type ChatMcpDeps } from './chat-with-mcp.js';
import type { DeploymentTable, ModelGroup } from './deployments.js';
import type { Router } from './router.js';
import { pipeChatStream } from './stream-chat.js';
import type { LlmRequestSpend, SpendMeter } from '../spend/request-spend.js';
import { gateRequest, type BudgetGate } from '../spend/budget-gate.js';

export interface LlmRoutesOptions {
  router: Router;
  table: DeploymentTable;
  callers: CallerResolver;
  /** `type: "mcp"` tools: the hub, header parser, remote-source factory and loop limits. */
  mcpTools: ChatMcpDeps;
  /** Prices every request and records it (issue #7). */
  spend: SpendMeter;
  /** Counts usage an upstream did not report (tiktoken). */
  /** `max_budget`, `rpm_limit`, `tpm_limit`: 429 before any upstream call (issue #7). */
  budgets?: BudgetGate;
}

export const llmRoutes: FastifyPluginAsync<LlmRoutesOptions> = async (app, { router, table, callers, mcpTools, spend, budgets }) => {
  const { countUsage } = mcpTools;
  app.addHook('onRequest', resolveCallerHook(callers));

  const chat = async (request: FastifyRequest<{ Body: ChatRequest }>, reply: FastifyReply) => {
    // The same body unless an echoed assistant message carries our extension fields (no copy on the plain path).
    const messages = resolveMcpExtension(request.body.messages, mcpTools.limits.outputMaxChars);
    const body: ChatRequest = messages === request.body.messages ? request.body : { ...request.body, messages };
    request.modelName = body.model;
    const caller = callerOf(request);
    assertModelAllowed(caller, body.model);
    await gateRequest(budgets, caller, reply.raw);
    const abort = abortOnDisconnect(reply);
    const cost = spend.begin(request.id, caller, 'chat_completion', body.model);
    let ok = false;
    try {
      if (hasMcpTools(body)) {
        ok = await chatWithMcp(request, body, reply, abort.signal, cost);
        return reply;
      }
      if (body.stream === true) {
        const { result: chunks, deployment } = await router.stream(body, abort.signal);
        request.deploymentId = deployment.id;
        reply.hijack();
        // Streamed: the headers leave before the usage is known, so no cost header (as LiteLLM); the cost is stored.
        const piped = await pipeChatStream(reply.raw, responseHeaders(request, deployment.id), body, chunks, deployment, countUsage);
        cost.addRound(deployment.id, piped.usage);
        ok = piped.ok;
        return reply;
      }
      const { result, deployment } = await router.complete(body, abort.signal);
      request.deploymentId = deployment.id;
      cost.addRound(deployment.id, result.usage ?? countUsage(body, result.choices[0]?.message ?? { content: null, refusal: null }));
      ok = true;
      return reply.headers({ ...responseHeaders(request, deployment.id), ...cost.costHeader() }).send(result);
    } finally {
      cost.finish(ok ? 'success' : 'failure');
    }
  };
  /** The tool loop: tools are listed (and bad ones refused) before the model is called, streaming or not. */
  const chatWithMcp = async (
    request: FastifyRequest,
    body: ChatRequest,
    reply: FastifyReply,
    signal: AbortSignal,
    cost: LlmRequestSpend,
  ): Promise<boolean> => {
    const input = await prepareChatLoop(body, request.headers, mcpTools, signal, callerOf(request), cost);
    if (body.stream === true) {
      const { ok } = await streamChatWithMcp(
        router,
        input,
        reply.raw,
        (deploymentId) => {
          reply.hijack();
          if (deploymentId) request.deploymentId = deploymentId;
          return responseHeaders(request, deploymentId ?? '');
        },
        cost,
      );
      return ok;
    }
    const { completion, deploymentId } = await completeChatWithMcp(router, input, cost);
    if (deploymentId) request.deploymentId = deploymentId;
    reply.headers({ ...responseHeaders(request, deploymentId ?? ''), ...cost.costHeader() }).send(completion);
    return true;
  };
  for (const url of ['/v1/chat/completions', '/chat/completions']) {
    app.post(url, { schema: { body: CHAT_REQUEST_SCHEMA } }, chat);
  }

  const listModels = async (request: FastifyRequest) => ({
    object: 'list',
    data: table.list().filter((group) => modelAllowed(callerOf(request), group.name)).map(toModelObject),
  });
  const getModel = async (request: FastifyRequest<{ Params: { '*': string } }>) => {
    const name = request.params['*'];
    const group = table.get(name);
    if (!group) throw new ModelNotFoundError(`The model \`${name}\` does not exist.`, { param: 'model' });
    assertModelAllowed(callerOf(request), group.name);
    return toModelObject(group);
  };
  for (const prefix of ['/v1/models', '/models']) {
    app.get(prefix, listModels);
    // Model names may contain slashes (`openai/gpt-4o`), hence the wildcard.
    app.get(`${prefix}/*`, getModel);
  }
};

function toModelObject(group: ModelGroup) {
  return { id: group.name, object: 'model', created: group.created, owned_by: group.ownedBy };
}

function responseHeaders(request: FastifyRequest, deploymentId: string): Record<string, string> {
  return { 'x-request-id': request.id, 'x-litellm-model-id': deploymentId };
}
