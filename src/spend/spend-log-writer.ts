/**
 * The SpendSink that writes spend logs: `record()` only pushes onto an in-memory buffer (no I/O, no await on the
 * request path); a batch is written when the timer fires (`proxy_batch_write_at`) or as soon as `batchSize` rows
 * wait, one batch in flight at a time. A failing batch is retried once, then dropped and logged: spend logging never
 * fails or slows a request. `close()` writes what is left.
 */
import { SPEND_LOG_BATCH_SIZE, SPEND_LOG_FLUSH_INTERVAL_S, SPEND_LOG_MAX_BUFFERED } from '../config/defaults.js';
import type { GeneralSettings } from '../config/schema.js';
import type { BudgetClock, SpendLogRow, SpendLogsRepository } from '../store/index.js';
import { budgetResetAt } from './budget-duration.js';
import type { SpendRecord, SpendSink } from './spend-types.js';

export interface SpendLogWriterOptions {
  flushIntervalMs: number;
  batchSize: number;
  maxBuffered: number;
}

interface WriterLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export class SpendLogWriter implements SpendSink {
  private buffer: SpendLogRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private sizeFlushQueued = false;
  private closed = false;

  /**
   * The writer `general_settings` ask for: none with `disable_spend_logs: true`, else one flushing every
   * `proxy_batch_write_at` seconds (LiteLLM's key) or as soon as a batch is full.
   */
  static fromSettings(
    settings: Pick<GeneralSettings, 'disable_spend_logs' | 'proxy_batch_write_at'> | undefined,
    repository: SpendLogsRepository,
    logger: WriterLogger,
  ): SpendLogWriter | null {
    if (settings?.disable_spend_logs === true) return null;
    const flushIntervalMs = (settings?.proxy_batch_write_at ?? SPEND_LOG_FLUSH_INTERVAL_S) * 1000;
    return new SpendLogWriter(repository, { flushIntervalMs, batchSize: SPEND_LOG_BATCH_SIZE, maxBuffered: SPEND_LOG_MAX_BUFFERED }, logger);
  }

  constructor(
    private readonly repository: SpendLogsRepository,
    private readonly options: SpendLogWriterOptions,
    private readonly logger: WriterLogger,
  ) {}

  record(record: SpendRecord): void {
    if (this.closed) return;
    this.buffer.push(toRow(record));
    if (this.buffer.length > this.options.maxBuffered) {
      const dropped = this.buffer.length - this.options.maxBuffered;
      this.buffer.splice(0, dropped);
      this.logger.warn({ dropped }, 'spend logs: buffer full (is the store failing?), oldest rows dropped');
    }
    if (this.buffer.length >= this.options.batchSize) {
      if (!this.sizeFlushQueued) {
        this.sizeFlushQueued = true;
        setImmediate(() => {
          this.sizeFlushQueued = false;
          void this.flush();
        });
      }
    } else {
      this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
    }
  }

  /** Writes every buffered row (in batches) and resolves when they are stored, or dropped after their retry. */
  flush(): Promise<void> {
    // Flushes run one after another: one batch in flight, rows written in the order they were recorded.
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.buffer.length > 0) await this.write(this.buffer.splice(0, this.options.batchSize));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async write(batch: SpendLogRow[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.repository.insertBatch(batch, budgetClock(Date.now()));
        return;
      } catch (error) {
        if (attempt >= 2) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.error({ rows: batch.length, error: message }, 'spend logs: batch write failed twice; rows dropped');
          return;
        }
      }
    }
  }
}

/** The stored totals are per budget period: the repository asks this when an entity's period has turned. */
function budgetClock(now: number): BudgetClock {
  return { now, resetAt: (budgetDuration, createdAt) => budgetResetAt(budgetDuration, createdAt, now) };
}

function toRow(record: SpendRecord): SpendLogRow {
  return {
    request_id: record.requestId,
    call_type: record.callType,
    api_key: record.keyHash ?? '',
    team_id: record.teamId ?? null,
    organization_id: record.organizationId ?? null,
    model: record.model,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
    total_tokens: record.totalTokens,
    spend: record.cost,
    start_time: record.startTime.getTime(),
    end_time: record.endTime.getTime(),
    status: record.status,
    parent_request_id: record.parentRequestId ?? null,
  };
}
