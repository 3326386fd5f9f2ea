/**
 * The Caller on a Fastify request: resolved once, by the route group's `onRequest` hook (`resolveCallerHook`),
 * and read by handlers through `callerOf`. Declared `null` on the request (app.ts) for a stable object shape.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminRequiredError, InternalError } from '../http/errors.js';
import type { Caller, CallerResolver } from './resolve-caller.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the route group's onRequest hook. */
    caller: Caller | null;
  }
}

export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new InternalError(`no caller resolved for ${request.method} ${request.routeOptions.url ?? request.url}`);
  return request.caller;
}

/** An `onRequest` hook that resolves the Caller (401 when the key is missing, unknown, expired or blocked). */
export function resolveCallerHook(callers: CallerResolver) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      request.caller = await callers.resolve(request.headers);
    } catch (error) {
      reply.header('www-authenticate', 'Bearer realm="gatehouse"');
      throw error;
    }
  };
}

/** An `onRequest` hook for admin routes: the master key (or an open proxy) passes; a virtual key gets 403. */
export function requireAdminHook(callers: CallerResolver) {
  const resolve = resolveCallerHook(callers);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await resolve(request, reply);
    if (callerOf(request).kind === 'key') {
      throw new AdminRequiredError(`${request.method} ${request.routeOptions.url ?? request.url} needs the master key; a virtual key cannot manage keys, teams or organizations.`);
    }
  };
}
