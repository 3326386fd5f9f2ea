/**
 * One deployment's keep-alive undici pool and the POST every OpenAI-wire call makes over it: JSON body with the
 * upstream model name, the deployment's headers, timeouts and abort signal, non-2xx answers turned into errors.
 */
import { Pool, type Dispatcher } from 'undici';
import { GATEWAY_USER_AGENT } from '../user-agent.js';
import type { CallOptions, ProviderTarget } from '../provider.js';
import { statusError, transportError } from './errors.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface PoolSender {
  /** `endpoint` is appended to the base URL's path, e.g. `/chat/completions`. */
  send(endpoint: string, body: Record<string, unknown>, stream: boolean, options: CallOptions): Promise<Dispatcher.ResponseData>;
  /** The deployment's key, for scrubbing messages. */
  readonly secrets: readonly (string | undefined)[];
}

export function createPoolSender(target: ProviderTarget): PoolSender {
  const base = new URL(target.apiBase ?? OPENAI_BASE_URL);
  const pool = new Pool(base.origin, { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const basePath = base.pathname.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': GATEWAY_USER_AGENT,
    ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
    ...(target.organization ? { 'openai-organization': target.organization } : {}),
    ...target.headers,
  };
  const streamHeaders = { ...headers, accept: 'text/event-stream' };
  const secrets = [target.apiKey];

  return {
    secrets,
    async send(endpoint, request, stream, options) {
      const body = JSON.stringify({ ...request, model: target.model, stream });
      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({
          method: 'POST',
          path: `${basePath}${endpoint}${base.search}`,
          headers: stream ? streamHeaders : headers,
          body,
          signal: options.signal,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
      } catch (error) {
        throw transportError(error, options.signal, secrets);
      }
      if (response.statusCode >= 400) {
        const text = await response.body.text().catch(() => '');
        throw statusError(response.statusCode, response.headers, text, secrets);
      }
      return response;
    },
  };
}
