/**
 * Live downstream sessions by id, closed when idle, and the fan-out of upstream traffic that belongs to no
 * single request: `list_changed` to every session with that server in scope, `resources/updated` to the
 * sessions subscribed to the URI, log lines to the request they belong to (or to every session in scope).
 */
import type { LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import type { CatalogKind } from '../hub/catalog-cache.js';
import type { DownstreamCall } from '../hub/downstream-call.js';
import type { UpstreamClient, UpstreamEvents } from '../hub/upstream-client.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { DownstreamSession } from './downstream-session.js';
import { startIdleReaper } from '../idle-reaper.js';

export class SessionStore implements UpstreamEvents {
  private readonly sessions = new Map<string, DownstreamSession>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly idleMs: number) {
    this.reaper = startIdleReaper(idleMs, () => this.reapIdle());
  }

  get(id: string): DownstreamSession | undefined {
    const session = this.sessions.get(id);
    if (session) session.lastSeen = Date.now();
    return session;
  }

  add(session: DownstreamSession): void {
    if (session.id) this.sessions.set(session.id, session);
  }

  remove(session: DownstreamSession): void {
    if (session.id && this.sessions.get(session.id) === session) this.sessions.delete(session.id);
  }

  get size(): number {
    return this.sessions.size;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.reaper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((session) => session.close()));
  }

  listChanged(client: UpstreamClient, kind: CatalogKind): void {
    for (const session of this.inScope(client)) {
      const server = session.server;
      const send =
        kind === 'tools'
          ? () => server.sendToolListChanged()
          : kind === 'prompts'
            ? () => server.sendPromptListChanged()
            : kind === 'resources'
              ? () => server.sendResourceListChanged()
              : undefined;
      void send?.().catch(() => undefined);
    }
  }

  /**
   * A server was updated (`next`) or deleted (undefined) through the admin API: sessions with it in scope get the
   * new definition in their scope (or lose it) and a `list_changed` for tools, prompts and resources.
   */
  serverChanged(serverId: string, next: McpServerDefinition | undefined): void {
    for (const session of this.sessions.values()) {
      const scope = session.options.scope;
      if (!scope.servers.some((server) => server.id === serverId)) continue;
      scope.servers = next === undefined ? scope.servers.filter((server) => server.id !== serverId) : scope.servers.map((server) => (server.id === serverId ? next : server));
      const server = session.server;
      void server.sendToolListChanged().catch(() => undefined);
      void server.sendPromptListChanged().catch(() => undefined);
      void server.sendResourceListChanged().catch(() => undefined);
    }
  }

  resourceUpdated(client: UpstreamClient, uri: string): void {
    for (const session of this.inScope(client)) {
      if (session.subscriptions.has(uri)) void session.server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
  }

  log(client: UpstreamClient, params: LoggingMessageNotification['params'], call: DownstreamCall | undefined): void {
    if (call) {
      void call.sendNotification({ method: 'notifications/message', params }).catch(() => undefined);
      return;
    }
    for (const session of this.inScope(client)) void session.server.sendLoggingMessage(params).catch(() => undefined);
  }

  private *inScope(client: UpstreamClient): Iterable<DownstreamSession> {
    for (const session of this.sessions.values()) {
      if (session.options.scope.servers.some((server) => server.id === client.server.id)) yield session;
    }
  }

  private async reapIdle(): Promise<void> {
    const cutoff = Date.now() - this.idleMs;
    for (const session of [...this.sessions.values()]) {
      if (session.lastSeen < cutoff) {
        this.remove(session);
        await session.close();
      }
    }
  }
}
