/**
 * The proxy's own origin as the client reached it (`https://gateway.example.com`), for URLs the proxy hands back
 * to that client (OAuth discovery metadata, `WWW-Authenticate`). A TLS-terminating load balancer's
 * `X-Forwarded-Proto` / `X-Forwarded-Host` win over the connection's own: the URLs only ever go back to the
 * client that sent the headers.
 */
import type { FastifyRequest } from 'fastify';

const HOST_AND_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function requestBaseUrl(request: FastifyRequest): string {
  const proto = firstForwardedValue(request.headers['x-forwarded-proto'])?.toLowerCase();
  const forwarded = firstForwardedValue(request.headers['x-forwarded-host']);
  // Only a host[:port] is taken: the value is written into URLs and a quoted WWW-Authenticate parameter.
  const host = forwarded !== undefined && HOST_AND_PORT.test(forwarded) ? forwarded : request.host;
  return `${proto === 'https' || proto === 'http' ? proto : request.protocol}://${host}`;
}

/** The first entry of a forwarding header (`X-Forwarded-*`), as the first proxy wrote it; undefined when empty. */
export function firstForwardedValue(value: string | string[] | undefined): string | undefined {
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
}
