/** The part of the app's pino logger the store uses; Fastify's logger satisfies it too. */
import type { BaseLogger } from 'pino';

export type StoreLogger = Pick<BaseLogger, 'info' | 'warn'>;
