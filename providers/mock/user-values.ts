/**
 * Values the mock can lift out of the user's words (quoted phrases, numbers, URLs, e-mail addresses),
 * each handed out once, in the order the user wrote them.
 */
import { isStopWord, wordSpans } from './words.js';

const QUOTED = /(?<![\p{L}\p{N}])"([^"]+)"|(?<![\p{L}\p{N}])'([^']+)'(?![\p{L}\p{N}])|“([^”]+)”|‘([^’]+)’/gu;
const NUMBER = /(?<![\p{L}\p{N}.])-?\d+(?:\.\d+)?/gu;
const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>]+/gu;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu;
/** Punctuation a URL or a phrase rarely ends with but a sentence often does. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/u;
const EDGE_PUNCTUATION = /^[\s\p{P}]+|[\s\p{P}]+$/gu;

/** A queue of values handed out in order. */
class Queue<T> {
  private next = 0;
  constructor(private readonly items: readonly T[]) {}
  get remaining(): boolean {
    return this.next < this.items.length;
  }
  take(): T | undefined {
    return this.next < this.items.length ? this.items[this.next++] : undefined;
  }
  first(): T | undefined {
    return this.items[0];
  }
}

export class UserValues {
  readonly quoted: Queue<string>;
  readonly urls: Queue<string>;
  readonly emails: Queue<string>;
  private readonly numbers: { value: number; used: boolean }[];

  constructor(
    readonly text: string,
    /** The user text after the last word that matched the tool name, or the whole text. */
    readonly rest: string,
  ) {
    this.quoted = new Queue([...text.matchAll(QUOTED)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? ''));
    this.urls = new Queue([...text.matchAll(URL_PATTERN)].map((m) => m[0].replace(TRAILING_PUNCTUATION, '')));
    this.emails = new Queue([...text.matchAll(EMAIL)].map((m) => m[0].replace(TRAILING_PUNCTUATION, '')));
    // URLs and addresses often hold digits that are not numbers the user meant.
    const plain = text.replace(URL_PATTERN, ' ').replace(EMAIL, ' ');
    this.numbers = [...plain.matchAll(NUMBER)].map((m) => ({ value: Number(m[0]), used: false }));
  }

  /** The first unused number that satisfies `fits`, marked used. */
  takeNumber(fits: (value: number) => boolean): number | undefined {
    const found = this.numbers.find((n) => !n.used && fits(n.value));
    if (found) found.used = true;
    return found?.value;
  }
}

/**
 * The user text after the last word that matched the tool name, with leading filler words and edge
 * punctuation dropped ("weather in Paris?" → "Paris"); the whole text when that leaves nothing.
 */
export function textAfterToolName(text: string, toolName: string): string {
  const nameTokens = new Set(wordSpans(toolName).flatMap((span) => span.tokens.filter((token) => !isStopWord(token))));
  const spans = wordSpans(text);
  let last = -1;
  spans.forEach((span, index) => {
    if (span.tokens.some((token) => nameTokens.has(token))) last = index;
  });
  const whole = text.trim();
  if (last === -1) return whole;
  let from = last + 1;
  while (from < spans.length && spans[from].tokens.every(isStopWord)) from++;
  if (from >= spans.length) return whole;
  const rest = text.slice(spans[from].start).replace(EDGE_PUNCTUATION, '');
  return rest === '' ? whole : rest;
}
