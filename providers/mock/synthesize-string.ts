/** String values for synthesised tool arguments: lifted from the user's words, shaped to the schema's format and length. */
import type { UserValues } from './user-values.js';

type Schema = { [key: string]: unknown };

/** Format-valid stand-ins for formats the user's words cannot supply. */
const FIXED_FORMAT_VALUES: Readonly<Record<string, string>> = {
  'date-time': '2000-01-01T00:00:00Z',
  date: '2000-01-01',
  time: '00:00:00Z',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
};
const URL_FORMATS: ReadonlySet<string> = new Set(['uri', 'url', 'iri', 'uri-reference', 'iri-reference']);
const EMAIL_FORMATS: ReadonlySet<string> = new Set(['email', 'idn-email']);

function fitLength(value: string, schema: Schema): string {
  let out = value;
  if (typeof schema.maxLength === 'number') out = Array.from(out).slice(0, schema.maxLength).join('');
  if (typeof schema.minLength === 'number') {
    const missing = schema.minLength - Array.from(out).length;
    if (missing > 0) out += 'x'.repeat(missing);
  }
  return out;
}

function pickValue(format: unknown, required: boolean, values: UserValues): string | undefined {
  if (typeof format === 'string' && URL_FORMATS.has(format)) {
    return values.urls.take() ?? (required ? (values.urls.first() ?? 'https://example.com') : undefined);
  }
  if (typeof format === 'string' && EMAIL_FORMATS.has(format)) {
    return values.emails.take() ?? (required ? (values.emails.first() ?? 'user@example.com') : undefined);
  }
  if (typeof format === 'string' && format in FIXED_FORMAT_VALUES) {
    return required ? FIXED_FORMAT_VALUES[format] : undefined;
  }
  return values.quoted.take() ?? (required ? (values.quoted.first() ?? values.rest) : undefined);
}

/**
 * A string for one property, or undefined when it is optional and the user's words offer nothing for it.
 * Order: next unused quoted phrase (the first one again once all are used), else the text after the
 * tool-name words, else the whole user text.
 */
export function synthesizeString(schema: Schema, required: boolean, values: UserValues): string | undefined {
  const value = pickValue(schema.format, required, values);
  return value === undefined ? undefined : fitLength(value, schema);
}
