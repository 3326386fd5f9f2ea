/**
 * A request that says `Content-Type: application/json` but carries no body is a request without a body. Some
 * clients send the header on every call (LiteLLM's Terraform provider does, on DELETE and body-less POSTs);
 * Fastify would refuse those with "body is empty". A route that needs a body still refuses it, by its schema.
 */
import type { FastifyInstance } from 'fastify';

export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const { headers } = request;
    // No Content-Length (or 0) and no Transfer-Encoding: by HTTP's rules the request has no body.
    const length = headers['content-length'];
    if ((length === undefined || length === '0') && headers['transfer-encoding'] === undefined && headers['content-type'] !== undefined) {
      delete headers['content-type'];
    }
  });
}
