/**
 * Splits an upstream SSE body into `data:` payloads, once, as bytes arrive. Frames end at a blank line;
 * multi-line data is joined with `\n` (the SSE rule). Comments and other fields are skipped.
 */

export async function* sseDataFrames(body: AsyncIterable<Buffer | Uint8Array | string>): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const piece of body) {
    pending += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    let end = frameEnd(pending);
    while (end !== -1) {
      const data = dataOf(pending.slice(0, end.index));
      pending = pending.slice(end.index + end.length);
      if (data !== undefined) yield data;
      end = frameEnd(pending);
    }
  }
  const rest = dataOf(pending + decoder.decode());
  if (rest !== undefined) yield rest;
}

function frameEnd(text: string): { index: number; length: number } | -1 {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return -1;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

function dataOf(frame: string): string | undefined {
  let data: string | undefined;
  for (const rawLine of frame.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}
