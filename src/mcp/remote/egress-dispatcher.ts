/**
 * The HTTP client remote MCP servers are reached with: an undici Agent whose connector resolves the host itself,
 * runs the egress policy on the result and connects to exactly that address. The URL check before the session
 * and the connection can therefore not disagree (DNS rebinding), and every connection is checked — including one
 * to an IP literal, which node:net would open without any lookup (e.g. after a redirect).
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, buildConnector, fetch as undiciFetch, type Dispatcher, type RequestInit as UndiciRequestInit } from 'undici';
import type { EgressPolicy } from './egress-policy.js';

export interface EgressDispatcherOptions {
  /** undici's connect timeout (ms). */
  connectTimeoutMs?: number;
}

export function createEgressDispatcher(policy: EgressPolicy, options: EgressDispatcherOptions = {}): Agent {
  const connectSocket = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const connect: buildConnector.connector = (target, callback) => {
    const port = target.port !== '' ? Number(target.port) : target.protocol === 'https:' ? 443 : 80;
    policy.resolveForConnect(target.hostname, port).then(
      // `host` stays the URL's host:port, so TLS still sends and verifies the name (SNI) rather than the address.
      ({ address }) => connectSocket({ ...target, hostname: address }, callback),
      (error: Error) => callback(error, null),
    );
  };
  return new Agent({ connect });
}

/** A fetch for the MCP SDK transports that sends through `dispatcher` (undici's own fetch, not the global one). */
export function egressFetch(dispatcher: Dispatcher): FetchLike {
  return async (url, init) => {
    const response = await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher });
    // A WHATWG Response like the global one; only the type declarations (undici's and lib.dom's) differ.
    return response as unknown as Response;
  };
}
