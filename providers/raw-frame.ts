/**
 * A chunk a provider parsed from an upstream that already speaks the canonical format may carry the
 * upstream's JSON text under this symbol, so the SSE writer can forward it without serialising again.
 * Symbol keys are invisible to JSON.stringify, so a translated or modified chunk simply has none.
 */
export const RAW_FRAME: unique symbol = Symbol('gatehouse.rawFrame');

export function rawFrameOf(chunk: object): string | undefined {
  return (chunk as { [RAW_FRAME]?: string })[RAW_FRAME];
}
