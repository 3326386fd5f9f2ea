/**
 * Runs the `postLlmCall` hooks on every priced LLM request, streamed ones included: a SpendSink in front of the
 * real one, so the hooks see the final record (tokens, cost, status) once the answer is complete. The answer has
 * left by then, so a throwing hook cannot fail it: the failure is logged with the request id instead.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SpendRecord, SpendSink } from '../spend/spend-types.js';
import type { Hooks } from './hook-runner.js';

export function postLlmCallSink(next: SpendSink, hooks: Hooks, logger: FastifyBaseLogger): SpendSink {
  if (!hooks.postLlm) return next;
  return {
    record(record: SpendRecord): void {
      next.record(record);
      hooks.postLlmCall({ record }).catch((error: unknown) => {
        logger.error({ err: error, request_id: record.requestId }, 'postLlmCall hook failed');
      });
    },
  };
}
