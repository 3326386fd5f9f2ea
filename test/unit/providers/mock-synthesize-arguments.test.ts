import { describe, expect, it } from 'vitest';
import { synthesizeArguments } from '../../../providers/mock/synthesize-arguments.js';

describe('mock provider: synthesising tool arguments', () => {
  it('maps "add 3 and 4" onto add(a: number, b: number) as {a: 3, b: 4}', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    };
    expect(synthesizeArguments(schema, 'add 3 and 4', 'add')).toEqual({ a: 3, b: 4 });
  });

  it('fills every required type and only the optional properties the words or a default supply', () => {
    const schema = {
      type: 'object',
      properties: {
        query: { type: 'string' },
        limit: { type: 'integer', minimum: 1, maximum: 50 },
        ratio: { type: 'number' },
        mode: { type: 'string', enum: ['fast', 'thorough'] },
        verbose: { type: 'boolean' },
        recursive: { type: 'boolean' },
        filter: {
          type: 'object',
          properties: { owner: { type: 'string' }, size: { type: 'integer', default: 10 } },
          required: ['owner'],
        },
        tags: { type: 'array', items: { type: 'string' } },
        paths: { type: 'array', items: { type: 'string' }, minItems: 2 },
        page: { type: 'integer', default: 1 },
        cursor: { type: 'string' },
        unit: { type: 'string', enum: ['kb', 'mb'] },
      },
      required: ['query', 'limit', 'ratio', 'mode', 'verbose', 'filter', 'tags', 'paths', 'recursive'],
    };
    const args = synthesizeArguments(schema, 'search "quarterly report" limit 80 then 20, recursive please', 'search');
    expect(args).toEqual({
      query: 'quarterly report',
      limit: 20, // 80 is above the maximum, so the next number that fits is used
      ratio: 80, // the first number not yet used
      mode: 'fast',
      verbose: false,
      filter: {
        owner: 'quarterly report', // quoted phrases are reused once all are used
        size: 10,
      },
      tags: [],
      paths: ['quarterly report', 'quarterly report'],
      recursive: true,
      page: 1,
    });
  });

  it('takes an enum value the user names over the first one', () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
    };
    expect(synthesizeArguments(schema, 'weather in "Oslo" in fahrenheit', 'get_weather')).toEqual({
      city: 'Oslo',
      unit: 'fahrenheit',
    });
  });

  it('uses the text after the tool-name words when nothing is quoted, else the whole text', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    expect(synthesizeArguments(schema, 'Get me the weather in Paris?', 'get_weather')).toEqual({ city: 'Paris' });
    expect(synthesizeArguments(schema, 'Paris, please', 'get_weather')).toEqual({ city: 'Paris, please' });
  });

  it('chooses the minimum when no number fits and respects integer bounds', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 5, maximum: 9 }, m: { type: 'integer', maximum: -2 } },
      required: ['n', 'm'],
    };
    expect(synthesizeArguments(schema, 'use 2.5 or 100', 'pick')).toEqual({ n: 5, m: -2 });
  });

  it('uses a URL from the text for format uri, else https://example.com', () => {
    const schema = {
      type: 'object',
      properties: { url: { type: 'string', format: 'uri' } },
      required: ['url'],
    };
    expect(synthesizeArguments(schema, 'fetch https://nodejs.org/en/docs.', 'fetch')).toEqual({
      url: 'https://nodejs.org/en/docs',
    });
    expect(synthesizeArguments(schema, 'fetch the home page', 'fetch')).toEqual({ url: 'https://example.com' });
  });

  it('takes const, default and the first anyOf / oneOf branch', () => {
    const schema = {
      type: 'object',
      properties: {
        kind: { const: 'v1' },
        size: { type: 'integer', default: 3 },
        id: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        flag: { oneOf: [{ type: 'boolean' }, { type: 'null' }] },
      },
      required: ['kind', 'id', 'flag'],
    };
    expect(synthesizeArguments(schema, 'item 42', 'lookup')).toEqual({ kind: 'v1', id: 42, flag: false, size: 3 });
  });

  it('returns {} for a tool without parameters', () => {
    expect(synthesizeArguments(undefined, 'do it', 'run')).toEqual({});
  });
});

describe('mock provider: string and number fallbacks', () => {
  it('hands out quoted phrases in order and falls back to the remaining text, then 0', () => {
    const schema = {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, count: { type: 'number' } },
      required: ['from', 'to', 'count'],
    };
    expect(synthesizeArguments(schema, "copy 'a.txt' to \"b.txt\"", 'copy')).toEqual({
      from: 'a.txt',
      to: 'b.txt',
      count: 0,
    });
    expect(synthesizeArguments(schema, 'please copy everything over', 'copy')).toEqual({
      from: 'everything over',
      to: 'everything over',
      count: 0,
    });
  });
});
