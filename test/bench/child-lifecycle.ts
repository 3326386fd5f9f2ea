/**
 * The child side of the bench's process protocol: a forked server reports its port over IPC once it
 * listens, and exits when the bench goes away (IPC disconnect or a signal), so no server outlives the run.
 */

export interface ReadyMessage {
  type: 'ready';
  port: number;
}

/** Tells the parent the port this child listens on, and ties the child's life to the parent's. */
export function announceReady(port: number, close: () => unknown): void {
  const stop = () => {
    void close();
    process.exit(0);
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const message: ReadyMessage = { type: 'ready', port };
  process.send?.(message);
}

export function isReadyMessage(message: unknown): message is ReadyMessage {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { type?: unknown; port?: unknown };
  return candidate.type === 'ready' && typeof candidate.port === 'number';
}
