/**
 * The Caller on a Fastify request: resolved once, by the route group's `onRequest` hook (`resolveCallerHook`),
 * and read by handlers through `callerOf`. Declared `null` on the request (app.ts) for a stable object shape.
 * Admin-only routes add proxy-admin.ts's check on top.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InternalError } from '../http/errors.js';
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
      request.caller = await callers.resolve(request.headers, request.socket.remoteAddress);
    } catch (error) {
      reply.header('www-authenticate', 'Bearer realm="gatehouse"');
      throw error;
    }
  };
}
