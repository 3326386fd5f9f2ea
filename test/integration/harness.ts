/**
 * Starts a real Gatehouse (buildApp on 127.0.0.1:0) from YAML text, with every log line captured so tests
 * can assert on what was (and was not) logged.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/http/logger.js';
import type { RouterOptions } from '../../src/llm/router.js';

export interface RunningGatehouse {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:5555 */
  origin: string;
  logs: string[];
  /** An `openai` client pointed at the proxy. */
  client(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

export async function startGatehouse(
  yaml: string,
  options: { env?: Record<string, string>; router?: Partial<RouterOptions>; databaseUrl?: string } = {},
): Promise<RunningGatehouse> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const loaded = parseConfig(yaml, '<test>', options.env ?? {});
  // Retries in tests wait as little as the router allows, and shuffles are deterministic.
  const app = await buildApp(loaded, {
    logger: createLogger({ level: 'debug', destination }),
    env: options.env ?? {},
    router: { random: () => 0.5, ...options.router },
    databaseUrl: options.databaseUrl ?? 'sqlite::memory:',
  });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    origin,
    logs,
    client: (apiKey = 'sk-anything') => new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0 }),
    close: () => app.close(),
  };
}
