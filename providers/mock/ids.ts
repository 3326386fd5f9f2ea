/** Deterministic ids for mock responses: derived from the request, so the same request gets the same ids. */
import { createHash } from 'node:crypto';
import type { ChatRequest, ProviderTarget } from '../provider.js';

export interface MockIds {
  completionId: string;
  toolCallId: string;
}

/** Ids from a hash of the request (ignoring `stream` / `stream_options`, so both shapes agree) and the target. */
export function mockIds(request: ChatRequest, target: ProviderTarget): MockIds {
  const { stream: _stream, stream_options: _streamOptions, ...rest } = request;
  const digest = createHash('sha256')
    .update(JSON.stringify({ request: rest, model: target.model, mockResponse: target.mockResponse ?? null }))
    .digest('hex');
  return { completionId: `chatcmpl-mock-${digest.slice(0, 24)}`, toolCallId: `call_${digest.slice(24, 48)}` };
}
