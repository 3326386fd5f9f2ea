/** Issue #4 points 2 and 3: schemas normalised for the model; arguments checked with ajv, compiled once per schema. */
import { describe, expect, it } from 'vitest';
import { checkArguments, normaliseInputSchema, parseArguments, ToolSchemas } from '../../../../src/llm/tool-loop/tool-schemas.js';

describe('normaliseInputSchema', () => {
  it('adds a missing type and properties, and leaves a complete schema as it is', () => {
    expect(normaliseInputSchema({})).toEqual({ type: 'object', properties: {} });
    expect(normaliseInputSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} });
    expect(normaliseInputSchema({ properties: { a: { type: 'string' } } })).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    const complete = { type: 'object', properties: {}, additionalProperties: false };
    expect(normaliseInputSchema(complete)).toBe(complete);
  });
});

describe('parseArguments', () => {
  it('reads empty text as {} and refuses non-JSON and non-object arguments without a schema', () => {
    expect(parseArguments('  ')).toEqual({ ok: true, args: {} });
    expect(parseArguments('{"a":1}')).toEqual({ ok: true, args: { a: 1 } });
    expect(parseArguments('{a:')).toMatchObject({ ok: false, message: expect.stringContaining('not valid JSON') });
    expect(parseArguments('null')).toEqual({ ok: false, message: 'The arguments must be a JSON object.' });
  });
});

describe('ToolSchemas', () => {
  const schemas = new ToolSchemas();
  const inputSchema = { type: 'object', properties: { key: { type: 'string' }, when: { type: 'string', format: 'date' } }, required: ['key'] };

  it('prepares a schema object once and reuses it', () => {
    const first = schemas.prepare(inputSchema);
    expect(schemas.prepare(inputSchema)).toBe(first);
    expect(first.validate).not.toBeNull();
  });

  it('accepts valid arguments and returns them parsed', () => {
    expect(checkArguments(schemas.prepare(inputSchema), '{"key":"a","when":"2026-01-02"}')).toEqual({ ok: true, args: { key: 'a', when: '2026-01-02' } });
    expect(checkArguments(schemas.prepare({ type: 'object' }), '')).toEqual({ ok: true, args: {} });
  });

  it('explains non-JSON, non-object and schema-invalid arguments so the model can correct them', () => {
    const prepared = schemas.prepare(inputSchema);
    expect(checkArguments(prepared, '{key:')).toMatchObject({ ok: false, message: expect.stringContaining('not valid JSON') });
    expect(checkArguments(prepared, '[1]')).toEqual({ ok: false, message: 'The arguments must be a JSON object.' });
    expect(checkArguments(prepared, '{}')).toMatchObject({ ok: false, message: expect.stringContaining("must have required property 'key'") });
    expect(checkArguments(prepared, '{"key":"a","when":"tomorrow"}')).toMatchObject({ ok: false, message: expect.stringContaining('/when must match format "date"') });
  });

  it('validates 2020-12 schemas with the 2020 dialect, and skips validation for a schema that does not compile', () => {
    const tuple = schemas.prepare({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { pair: { prefixItems: [{ type: 'number' }] } } });
    expect(checkArguments(tuple, '{"pair":["x"]}')).toMatchObject({ ok: false });
    const broken = schemas.prepare({ type: 'object', properties: { a: { $ref: '#/nowhere' } } });
    expect(broken.validate).toBeNull();
    expect(checkArguments(broken, '{"a":1}')).toEqual({ ok: true, args: { a: 1 } });
  });

  it('tolerates schemas from different servers that share an $id', () => {
    const a = schemas.prepare({ $id: 'https://example.com/tool.json', type: 'object', properties: { a: { type: 'string' } } });
    const b = schemas.prepare({ $id: 'https://example.com/tool.json', type: 'object', properties: { b: { type: 'number' } } });
    expect(a.validate).not.toBeNull();
    expect(b.validate).not.toBeNull();
    expect(checkArguments(b, '{"b":"x"}')).toMatchObject({ ok: false });
  });
});
