/**
 * Word tokens for the mock provider: lowercase, camelCase / snake_case / kebab-case split, plurals folded,
 * so a user's sentence can be matched against tool names, descriptions and property names.
 */

/** Filler words that say nothing about which tool or value the user means. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'for', 'to', 'in', 'on', 'at', 'by', 'with', 'about', 'from', 'into', 'and', 'or',
  'is', 'are', 'was', 'be', 'it', 'its', 'this', 'that', 'these', 'those', 'me', 'my', 'i', 'you', 'your',
  'we', 'our', 'what', 'which', 'how', 'please', 'can', 'could', 'would', 'will', 'do', 'does', 's', 'as',
]);

export interface WordSpan {
  /** Normalised tokens of this word (one word can hold several, e.g. `getWeather`). */
  tokens: string[];
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}_-]+/gu;

/** Splits one word on `_`, `-` and camelCase boundaries, then lowercases and folds plurals. */
function splitWord(word: string): string[] {
  return word
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[\s_-]+/u)
    .filter((part) => part !== '')
    .map(normaliseToken);
}

function normaliseToken(token: string): string {
  const lower = token.toLowerCase();
  // Fold simple plurals so "files" matches "file"; "ss" endings ("address") stay.
  return lower.length > 3 && lower.endsWith('s') && !lower.endsWith('ss') ? lower.slice(0, -1) : lower;
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

/** Every word of `text` with its position and tokens, in order. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    const tokens = splitWord(match[0]);
    if (tokens.length > 0) spans.push({ tokens, start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/** The distinct meaningful tokens of `text` (stop words dropped). */
export function contentTokens(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const span of wordSpans(text)) {
    for (const token of span.tokens) if (!isStopWord(token)) tokens.add(token);
  }
  return tokens;
}
