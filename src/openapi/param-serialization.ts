/**
 * Parameter values on the wire, per OpenAPI 3's `style`/`explode` table (Swagger 2's `collectionFormat` is
 * mapped onto it in operations.ts): path (simple, label, matrix), query (form, spaceDelimited, pipeDelimited,
 * deepObject), header (simple) and cookie (form). Query and cookie pieces come back already percent-encoded.
 */
import { InvalidRequestError } from '../http/errors.js';
import type { OperationParam } from './operations.js';

type Scalar = string | number | boolean | null;

/** Thrown for a value that cannot go into its location; the tool call answers it as an `isError` result. */
export class ParameterValueError extends InvalidRequestError {}

const CONTROL = /[\u0000-\u001f\u007f]/;

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function entriesOf(value: object): [string, Scalar][] {
  return Object.entries(value).map(([key, member]) => [key, member as Scalar]);
}

function encode(text: string, allowReserved: boolean): string {
  if (!allowReserved) return encodeURIComponent(text);
  // RFC 3986 reserved characters pass through; everything else is encoded.
  return encodeURI(text).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
}

/** `name=value` pieces for the query string, encoded. */
export function serializeQuery(param: OperationParam, value: unknown): string[] {
  const name = encodeURIComponent(param.name);
  const enc = (text: string): string => encode(text, param.allowReserved);
  if (Array.isArray(value)) {
    const items = value.map(scalarText);
    if (param.style === 'form' && param.explode) return items.map((item) => `${name}=${enc(item)}`);
    const delimiter = { spaceDelimited: '%20', pipeDelimited: '|', tabDelimited: '%09' }[param.style] ?? ',';
    return [`${name}=${items.map(enc).join(delimiter)}`];
  }
  if (value !== null && typeof value === 'object') {
    const entries = entriesOf(value);
    if (param.style === 'deepObject') {
      return entries.map(([key, member]) => `${name}%5B${encodeURIComponent(key)}%5D=${enc(scalarText(member))}`);
    }
    if (param.explode) return entries.map(([key, member]) => `${encodeURIComponent(key)}=${enc(scalarText(member))}`);
    return [`${name}=${entries.map(([key, member]) => `${enc(key)},${enc(scalarText(member))}`).join(',')}`];
  }
  return [`${name}=${enc(scalarText(value))}`];
}

/**
 * The encoded path segment(s) for `{name}`. A value that could leave its segment is refused, not encoded:
 * `/` or `\`, `.`/`..`, control characters — also when hidden behind percent-encoding.
 */
export function serializePath(param: OperationParam, value: unknown): string {
  const parts: string[] = Array.isArray(value)
    ? value.map(scalarText)
    : value !== null && typeof value === 'object'
      ? entriesOf(value).flatMap(([key, member]) => [key, scalarText(member)])
      : [scalarText(value)];
  for (const part of parts) checkPathValue(param.name, part);
  const enc = (text: string): string => encodeURIComponent(text);
  if (Array.isArray(value) || value === null || typeof value !== 'object') {
    const items = Array.isArray(value) ? value.map(scalarText) : [scalarText(value)];
    if (param.style === 'label') return `.${items.map(enc).join(param.explode ? '.' : ',')}`;
    if (param.style === 'matrix') {
      const name = encodeURIComponent(param.name);
      return param.explode ? items.map((item) => `;${name}=${enc(item)}`).join('') : `;${name}=${items.map(enc).join(',')}`;
    }
    return items.map(enc).join(',');
  }
  const entries = entriesOf(value);
  const pairs = entries.map(([key, member]) => (param.explode ? `${enc(key)}=${enc(scalarText(member))}` : `${enc(key)},${enc(scalarText(member))}`));
  if (param.style === 'label') return `.${pairs.join(param.explode ? '.' : ',')}`;
  if (param.style === 'matrix') return param.explode ? pairs.map((pair) => `;${pair}`).join('') : `;${encodeURIComponent(param.name)}=${pairs.join(',')}`;
  return pairs.join(',');
}

function checkPathValue(name: string, text: string): void {
  let decoded = text;
  for (let round = 0; round < 3; round++) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      break;
    }
  }
  for (const candidate of [text, decoded]) {
    if (candidate === '') throw new ParameterValueError(`path parameter "${name}" must not be empty`);
    if (/[/\\]/.test(candidate)) throw new ParameterValueError(`path parameter "${name}" must not contain "/" or "\\"`);
    if (candidate === '.' || candidate === '..') throw new ParameterValueError(`path parameter "${name}" must not be "." or ".."`);
    if (CONTROL.test(candidate)) throw new ParameterValueError(`path parameter "${name}" must not contain control characters`);
  }
}

/** A header value (style simple); control characters (header injection) are refused. */
export function serializeHeader(param: OperationParam, value: unknown): string {
  let text: string;
  if (Array.isArray(value)) text = value.map(scalarText).join(',');
  else if (value !== null && typeof value === 'object') {
    text = entriesOf(value)
      .map(([key, member]) => (param.explode ? `${key}=${scalarText(member)}` : `${key},${scalarText(member)}`))
      .join(',');
  } else text = scalarText(value);
  if (CONTROL.test(text)) throw new ParameterValueError(`header parameter "${param.name}" must not contain control characters`);
  return text;
}

/** `name=value` cookie pairs (style form), values encoded. */
export function serializeCookie(param: OperationParam, value: unknown): string[] {
  const name = param.name;
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ParameterValueError(`cookie parameter "${name}" has a name that is not a valid cookie name`);
  if (Array.isArray(value)) {
    const items = value.map((item) => encodeURIComponent(scalarText(item)));
    return param.explode ? items.map((item) => `${name}=${item}`) : [`${name}=${items.join(',')}`];
  }
  if (value !== null && typeof value === 'object') {
    const entries = entriesOf(value);
    if (param.explode) return entries.map(([key, member]) => `${encodeURIComponent(key)}=${encodeURIComponent(scalarText(member))}`);
    return [`${name}=${entries.map(([key, member]) => `${encodeURIComponent(key)},${encodeURIComponent(scalarText(member))}`).join(',')}`];
  }
  return [`${name}=${encodeURIComponent(scalarText(value))}`];
}
