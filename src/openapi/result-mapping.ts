/**
 * A REST answer as an MCP tool result: 2xx JSON → `structuredContent` (non-objects wrapped as `{result}`) plus
 * the JSON text; other textual types → text; binary → a one-line summary; non-2xx → `isError` with the status
 * and the body's own message; transport failures (timeout, size cap, unreachable) → `isError` with their message.
 */
import { STATUS_CODES } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isJsonMedia } from './operations.js';
import type { RestOutcome } from './rest-client.js';

/** An error body is quoted up to this many characters. */
const ERROR_TEXT_MAX = 2_000;

export function toToolResult(outcome: RestOutcome): CallToolResult {
  if (!outcome.ok) return errorResult(outcome.message);
  const { status, headers, body } = outcome;
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (status < 200 || status > 299) return errorResult(`HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim() + errorDetail(type, body));
  if (body.length === 0) return { content: [{ type: 'text', text: `HTTP ${status} ${STATUS_CODES[status] ?? ''} (no content)`.replace('  ', ' ') }] };
  if (isJsonMedia(type) || (type === '' && looksLikeJson(body))) {
    const text = body.toString('utf8');
    try {
      const parsed: unknown = JSON.parse(text);
      const structured = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { result: parsed };
      return { content: [{ type: 'text', text }], structuredContent: structured };
    } catch {
      return { content: [{ type: 'text', text }] };
    }
  }
  if (isTextual(type)) return { content: [{ type: 'text', text: body.toString('utf8') }] };
  return { content: [{ type: 'text', text: `Binary response (${type || 'unknown type'}, ${body.length} bytes), not shown.` }] };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function errorDetail(type: string, body: Buffer): string {
  if (body.length === 0) return '';
  if (!isJsonMedia(type) && !isTextual(type) && !(type === '' && looksLikeJson(body))) return ` (${body.length} bytes of ${type || 'unknown type'})`;
  const text = body.toString('utf8');
  let message = text;
  try {
    message = messageOf(JSON.parse(text)) ?? text;
  } catch {
    // not JSON: the text itself
  }
  const trimmed = message.trim();
  return trimmed === '' ? '' : `: ${trimmed.length > ERROR_TEXT_MAX ? `${trimmed.slice(0, ERROR_TEXT_MAX)}…` : trimmed}`;
}

/** The usual places an API puts its error message. */
function messageOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? value : undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'error_description', 'detail', 'title', 'error']) {
    const member = record[key];
    if (typeof member === 'string' && member !== '') return member;
    if (key === 'error' && member !== null && typeof member === 'object') return messageOf(member);
  }
  return undefined;
}

function isTextual(type: string): boolean {
  const base = type.split(';')[0].trim();
  return (
    base.startsWith('text/') ||
    base.endsWith('+xml') ||
    ['application/xml', 'application/javascript', 'application/x-www-form-urlencoded', 'application/yaml', 'application/x-yaml', 'application/problem+json'].includes(base)
  );
}

function looksLikeJson(body: Buffer): boolean {
  const first = body.toString('utf8', 0, Math.min(body.length, 64)).trimStart()[0];
  return first === '{' || first === '[';
}
