/** Unauthenticated health probes, named as LiteLLM names them (liveliness sic, plus liveness). */
import type { FastifyPluginAsync } from 'fastify';
import { GATEHOUSE_VERSION } from '../version.js';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  const alive = async () => "I'm alive!";
  app.get('/health/liveliness', alive);
  app.get('/health/liveness', alive);
  app.get('/health/readiness', async () => ({
    status: 'healthy',
    db: 'Not connected',
    cache: null,
    gatehouse_version: GATEHOUSE_VERSION,
  }));
};
