/** OpenAPI schema → JSON Schema (issue #5 point 3): OAS keywords, 3.0 nullable, and cycles as $defs. */
import { describe, expect, it } from 'vitest';
import { SchemaConverter } from '../../../src/openapi/schema-conversion.js';

describe('SchemaConverter', () => {
  it('drops OAS-only keywords, maps nullable and boolean exclusiveMinimum, keeps an example as examples', () => {
    const converter = new SchemaConverter();
    const out = converter.convert({
      type: 'integer',
      nullable: true,
      minimum: 1,
      exclusiveMinimum: true,
      example: 5,
      xml: { name: 'n' },
      'x-internal': true,
      discriminator: { propertyName: 'kind' },
    });
    expect(out).toEqual({ type: ['integer', 'null'], exclusiveMinimum: 1, examples: [5] });
  });

  it('turns a cyclic graph into $defs that serialise', () => {
    const node: Record<string, unknown> = { type: 'object', title: 'Node', properties: { name: { type: 'string' } } };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    const converter = new SchemaConverter();
    const out = converter.convert({ type: 'object', properties: { root: node } });
    expect(out).toEqual({ type: 'object', properties: { root: { $ref: '#/$defs/Node' } } });
    expect(converter.definitions()).toEqual({
      Node: { type: 'object', title: 'Node', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } },
    });
    expect(() => JSON.stringify(converter.definitions())).not.toThrow();
  });

  it('copies a shared (non-cyclic) schema inline wherever it is used', () => {
    const money = { type: 'number' };
    const out = new SchemaConverter().convert({ type: 'object', properties: { a: money, b: money } });
    expect(out).toEqual({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } });
  });
});
