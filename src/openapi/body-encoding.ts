/**
 * The `body` argument on the wire, per the operation's media type: JSON; `application/x-www-form-urlencoded`
 * (arrays as repeated fields, objects as JSON text); `multipart/form-data` (one part per field, `format:
 * binary` fields as file parts); text and octet-stream bodies as the string's UTF-8 bytes.
 */
import { randomBytes } from 'node:crypto';
import { isJsonMedia } from './operations.js';
import { ParameterValueError } from './param-serialization.js';

export interface EncodedBody {
  contentType: string;
  payload: Buffer;
}

export function encodeBody(contentType: string, value: unknown, schema: unknown): EncodedBody {
  const base = contentType.split(';')[0].trim().toLowerCase();
  if (isJsonMedia(base)) {
    return { contentType: base === '*/*' ? 'application/json' : contentType, payload: Buffer.from(JSON.stringify(value), 'utf8') };
  }
  if (base === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    for (const [name, member] of fields(value)) form.append(name, fieldText(member));
    return { contentType, payload: Buffer.from(form.toString(), 'utf8') };
  }
  if (base === 'multipart/form-data') return encodeMultipart(value, schema);
  if (typeof value !== 'string') {
    throw new ParameterValueError(`body must be a string for content type ${base}`);
  }
  return { contentType, payload: Buffer.from(value, 'utf8') };
}

/** Name/value pairs of a form body; array members become repeated fields. */
function fields(value: unknown): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ParameterValueError('body must be an object of form fields');
  }
  const pairs: [string, unknown][] = [];
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (Array.isArray(member)) for (const item of member) pairs.push([name, item]);
    else pairs.push([name, member]);
  }
  return pairs;
}

function fieldText(value: unknown): string {
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function encodeMultipart(value: unknown, schema: unknown): EncodedBody {
  const boundary = `gatehouse-${randomBytes(12).toString('hex')}`;
  const properties = (schema as { properties?: Record<string, { format?: unknown; type?: unknown; items?: { format?: unknown } }> } | null)?.properties ?? {};
  const chunks: Buffer[] = [];
  for (const [name, member] of fields(value)) {
    const declared = properties[name];
    const binary = declared?.format === 'binary' || declared?.items?.format === 'binary';
    const json = member !== null && typeof member === 'object';
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
    if (binary) head += `; filename="${escapeName(name)}"\r\nContent-Type: application/octet-stream`;
    else if (json) head += '\r\nContent-Type: application/json';
    chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'), Buffer.from(fieldText(member), 'utf8'), Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload: Buffer.concat(chunks) };
}

/** WHATWG's multipart/form-data name escaping. */
function escapeName(name: string): string {
  return name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
