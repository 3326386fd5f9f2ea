/**
 * Who is a proxy admin, and the `onRequest` hooks every admin route uses to admit only them (403 admin_required).
 * A proxy admin is the master key, or anyone when no master key is configured (the proxy is open); a virtual key
 * never is, whatever its grants.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminRequiredError } from '../http/errors.js';
import { callerOf, resolveCallerHook } from './request-caller.js';
import type { Caller, CallerResolver } from './resolve-caller.js';

export function isProxyAdmin(caller: Caller): boolean {
  return caller.kind === 'master' || caller.kind === 'open';
}

/** How the audit fields (`created_by`, `updated_by`) name the caller; never the key itself. */
export function actorOf(caller: Caller): string {
  return caller.kind === 'master' ? 'proxy_admin' : caller.kind === 'open' ? 'anonymous' : 'virtual_key';
}

/**
 * A route-level `onRequest` hook for the admin-only routes of a group whose other routes any key may call: runs
 * after the group's `resolveCallerHook` and refuses a caller that is not a proxy admin.
 */
export async function requireProxyAdmin(request: FastifyRequest): Promise<void> {
  if (!isProxyAdmin(callerOf(request))) {
    throw new AdminRequiredError(
      `${request.method} ${request.routeOptions.url ?? request.url} needs a proxy admin key (the master key); a virtual key cannot call it.`,
    );
  }
}

/** The `onRequest` hook of an admin-only route group: resolves the Caller (401) and admits only a proxy admin (403). */
export function requireAdminHook(callers: CallerResolver) {
  const resolve = resolveCallerHook(callers);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await resolve(request, reply);
    await requireProxyAdmin(request);
  };
}
