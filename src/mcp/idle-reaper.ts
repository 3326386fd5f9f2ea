/**
 * The sweep that closes idle sessions in the gateway's pools (downstream sessions, upstream sessions, remote
 * sessions): runs about twice per idle period (between 1 s and 30 s apart), never keeps the process alive.
 */
export function startIdleReaper(idleMs: number, sweep: () => Promise<void>): NodeJS.Timeout {
  const timer = setInterval(() => void sweep(), Math.max(1_000, Math.min(idleMs / 2, 30_000)));
  timer.unref();
  return timer;
}
