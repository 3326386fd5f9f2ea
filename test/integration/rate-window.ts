/** Rate windows are whole minutes: a rate test starts away from a minute's edge so its requests share one window. */
export async function awayFromMinuteEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((done) => setTimeout(done, left + 50));
}
