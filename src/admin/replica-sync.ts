/**
 * Keeps replicas that share one store in step. A write bumps its topic's counter in `store_changes` (in the
 * write's transaction, store/change-feed.ts) and then calls `notify(topic)`: with `REDIS_URL` set that is a Redis
 * pub/sub message other replicas act on at once; every replica also polls the counters (every second without
 * Redis, every 15 s with it, as a safety net for a missed message), so changes arrive either way. Keys, teams and
 * organisations use it the same way (`on(topic)` clears the key cache; app.ts wires it).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { readChangeVersions, type ChangeTopic } from '../store/change-feed.js';
import type { StoreDatabase } from '../store/schema.js';

export const REDIS_CHANNEL = 'gatehouse:store-changes';
export const POLL_MS_WITHOUT_REDIS = 1_000;
export const POLL_MS_WITH_REDIS = 15_000;

export type ChangeListener = () => void | Promise<void>;

export interface ReplicaSyncOptions {
  db: Kysely<StoreDatabase>;
  /** `REDIS_URL`, e.g. redis://127.0.0.1:6379. */
  redisUrl?: string;
  logger: FastifyBaseLogger;
  /** Overrides the poll interval (tests). */
  pollMs?: number;
}

export class ReplicaSync {
  /** Identifies this process's messages, so it does not react to its own. */
  readonly origin = randomUUID();
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private versions = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private redisDown = false;

  constructor(private readonly options: ReplicaSyncOptions) {}

  /** Runs `listener` when another replica changed `topic` (and, by polling, sometimes after this one's own write). */
  on(topic: ChangeTopic, listener: ChangeListener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Tells the other replicas now (Redis); without Redis they notice by polling. Never throws. */
  async notify(topic: ChangeTopic): Promise<void> {
    if (!this.publisher) return;
    await this.publisher.publish(REDIS_CHANNEL, JSON.stringify({ topic, origin: this.origin })).catch((error: unknown) => {
      this.options.logger.warn({ err: error, topic }, 'publishing a store change to Redis failed; replicas will see it by polling');
    });
  }

  async start(): Promise<void> {
    this.versions = await readChangeVersions(this.options.db);
    if (this.options.redisUrl) this.connectRedis(this.options.redisUrl);
    this.schedulePoll();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await Promise.all([this.publisher, this.subscriber].map((client) => client?.quit().catch(() => client.disconnect())));
  }

  private connectRedis(url: string): void {
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => {
        if (this.redisDown) return;
        this.redisDown = true;
        this.options.logger.warn({ err: error }, 'Redis unreachable: store changes reach other replicas by polling until it is back');
      });
      client.on('ready', () => {
        this.redisDown = false;
      });
    }
    this.subscriber.on('message', (_channel: string, message: string) => void this.onMessage(message));
    this.subscriber.subscribe(REDIS_CHANNEL).catch((error: unknown) => this.options.logger.warn({ err: error }, 'Redis subscribe failed'));
  }

  private async onMessage(message: string): Promise<void> {
    let parsed: { topic?: unknown; origin?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.origin === this.origin || typeof parsed.topic !== 'string') return;
    // The next poll sees the same change again and reloads once more: harmless, reloads are idempotent.
    await this.emit(parsed.topic);
  }

  private schedulePoll(): void {
    if (this.closed) return;
    const interval = this.options.pollMs ?? (this.options.redisUrl ? POLL_MS_WITH_REDIS : POLL_MS_WITHOUT_REDIS);
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedulePoll());
    }, interval);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    let current: Map<string, number>;
    try {
      current = await readChangeVersions(this.options.db);
    } catch (error) {
      if (!this.closed) this.options.logger.warn({ err: error }, 'reading store change counters failed');
      return;
    }
    const changed = [...current].filter(([topic, version]) => this.versions.get(topic) !== version).map(([topic]) => topic);
    this.versions = current;
    for (const topic of changed) await this.emit(topic);
  }

  private async emit(topic: string): Promise<void> {
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        await listener();
      } catch (error) {
        this.options.logger.warn({ err: error, topic }, 'reacting to a store change failed');
      }
    }
  }
}
