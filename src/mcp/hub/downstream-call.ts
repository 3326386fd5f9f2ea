/**
 * A downstream request in flight through a shared upstream session. Server-to-client traffic the upstream
 * sends while serving it (sampling, elicitation, roots, log lines) is relayed back through it.
 */
import type { Notification, Request, Result } from '@modelcontextprotocol/sdk/types.js';

export interface DownstreamCall {
  /** Relays a server-to-client request to the downstream client and returns its answer. */
  sendRequest(request: Request, signal: AbortSignal): Promise<Result>;
  /** Sends a notification on the downstream request's stream. */
  sendNotification(notification: Notification): Promise<void>;
  /** Whether the downstream client declared the capability this method needs. */
  supports(method: string): boolean;
  /** Closes the downstream stream of this request (the client resumes it with Last-Event-ID). */
  closeStream(): void;
}
