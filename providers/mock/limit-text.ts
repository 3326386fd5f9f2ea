/** Applies `max_completion_tokens` / `max_tokens` to a generated text answer. */
import { estimateTokens } from './usage.js';

export interface LimitedText {
  kind: 'text';
  text: string;
  finishReason: 'stop' | 'length';
}

/** Cuts `text` to `length` UTF-16 units without splitting a surrogate pair. */
export function truncateText(text: string, length: number): string {
  const cut = text.slice(0, Math.max(0, length));
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** `text` unchanged with `stop`, or cut to about `maxTokens` tokens with `length` when it is longer. */
export function limitText(text: string, maxTokens: number | null | undefined): LimitedText {
  if (typeof maxTokens !== 'number' || estimateTokens(text) <= maxTokens) {
    return { kind: 'text', text, finishReason: 'stop' };
  }
  return { kind: 'text', text: truncateText(text, maxTokens * 4), finishReason: 'length' };
}
