/**
 * `POST /utils/token_counter`, LiteLLM's shape: `{model, messages}` (or `{model, prompt}`) →
 * `{total_tokens, request_model, model_used, tokenizer_type}`. Counted locally with tiktoken: messages with OpenAI's
 * per-message overhead, a prompt as plain text. `model_used` is the upstream model a configured `model_name` routes
 * to (its first deployment), else the name as given. A key may count for the models it may use.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { assertModelAllowed } from '../auth/permissions.js';
import { callerOf, resolveCallerHook } from '../auth/request-caller.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { InvalidRequestError } from '../http/errors.js';
import { CHAT_REQUEST_SCHEMA } from '../llm/chat-request-schema.js';
import type { TokenCounter } from '../spend/token-counter.js';

export interface TokenCounterRoutesOptions {
  callers: CallerResolver;
  tokens: TokenCounter;
}

interface TokenCountBody {
  model: string;
  messages?: ChatCompletionMessageParam[];
  prompt?: string;
}

const BODY_SCHEMA = {
  type: 'object',
  required: ['model'],
  properties: {
    model: CHAT_REQUEST_SCHEMA.properties.model,
    // Checked as chat completions checks them, so a malformed message is a 400, never a crash in the counter.
    messages: CHAT_REQUEST_SCHEMA.properties.messages,
    prompt: { type: 'string' },
  },
} as const;

export const tokenCounterRoutes: FastifyPluginAsync<TokenCounterRoutesOptions> = async (app, { callers, tokens }) => {
  app.addHook('onRequest', resolveCallerHook(callers));

  app.post('/utils/token_counter', { schema: { body: BODY_SCHEMA } }, async (request: FastifyRequest<{ Body: TokenCountBody }>) => {
    const { model, messages, prompt } = request.body;
    assertModelAllowed(callerOf(request), model);
    let total: number;
    if (messages !== undefined) total = tokens.countPrompt({ model, messages });
    else if (prompt !== undefined) total = tokens.countText(model, prompt);
    else throw new InvalidRequestError('Send `messages` (a chat message list) or `prompt` (text) to count.', { param: 'messages' });
    return {
      total_tokens: total,
      request_model: model,
      model_used: tokens.resolve(model),
      tokenizer_type: 'openai_tokenizer',
    };
  });
};
