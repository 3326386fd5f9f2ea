/** OpenAPI 3 style/explode serialisation (issue #5 point 4): query, path (with traversal checks), header, cookie. */
import { describe, expect, it } from 'vitest';
import type { OperationParam } from '../../../src/openapi/operations.js';
import { ParameterValueError, serializeCookie, serializeHeader, serializePath, serializeQuery } from '../../../src/openapi/param-serialization.js';

const param = (overrides: Partial<OperationParam>): OperationParam => ({
  name: 'color',
  in: 'query',
  required: false,
  schema: {},
  style: 'form',
  explode: true,
  allowReserved: false,
  ...overrides,
});

describe('query serialisation', () => {
  it.each([
    ['form explode', { style: 'form', explode: true }, ['blue', 'black'], ['color=blue', 'color=black']],
    ['form', { style: 'form', explode: false }, ['blue', 'black'], ['color=blue,black']],
    ['spaceDelimited', { style: 'spaceDelimited', explode: false }, ['blue', 'black'], ['color=blue%20black']],
    ['pipeDelimited', { style: 'pipeDelimited', explode: false }, ['blue', 'black'], ['color=blue|black']],
    ['deepObject', { style: 'deepObject', explode: true }, { R: 100, G: 200 }, ['color%5BR%5D=100', 'color%5BG%5D=200']],
    ['form explode object', { style: 'form', explode: true }, { R: 100, G: 200 }, ['R=100', 'G=200']],
    ['form object', { style: 'form', explode: false }, { R: 100, G: 200 }, ['color=R,100,G,200']],
    ['scalar, encoded', { style: 'form', explode: true }, 'a b&c=d', ['color=a%20b%26c%3Dd']],
  ])('%s', (_label, style, value, expected) => {
    expect(serializeQuery(param(style as Partial<OperationParam>), value)).toEqual(expected);
  });
});

describe('path serialisation', () => {
  const path = (overrides: Partial<OperationParam> = {}) => param({ name: 'id', in: 'path', style: 'simple', explode: false, ...overrides });

  it.each([
    ['simple', {}, 5, '5'],
    ['simple array', {}, [3, 4, 5], '3,4,5'],
    ['simple object explode', { explode: true }, { role: 'admin', first: 'Alex' }, 'role=admin,first=Alex'],
    ['label', { style: 'label' }, [3, 4], '.3,4'],
    ['matrix explode', { style: 'matrix', explode: true }, [3, 4], ';id=3;id=4'],
    ['encoded', {}, 'a b?#', 'a%20b%3F%23'],
  ])('%s', (_label, style, value, expected) => {
    expect(serializePath(path(style as Partial<OperationParam>), value)).toBe(expected);
  });

  it.each(['..', '.', 'a/b', 'a\\b', '%2e%2e', '%252e%252e', 'a%2fb', 'x\u0000y', ''])('refuses %j', (value) => {
    expect(() => serializePath(path(), value)).toThrow(ParameterValueError);
  });

  it('refuses traversal hidden in an array member', () => {
    expect(() => serializePath(path(), ['ok', '..'])).toThrow('must not be "." or ".."');
  });
});

describe('headers and cookies', () => {
  it('joins arrays in a header and refuses CR/LF', () => {
    expect(serializeHeader(param({ in: 'header', style: 'simple', explode: false }), ['a', 'b'])).toBe('a,b');
    expect(() => serializeHeader(param({ in: 'header' }), 'x\r\nSet-Cookie: y')).toThrow('control characters');
  });

  it('encodes cookie values and refuses an invalid cookie name', () => {
    expect(serializeCookie(param({ name: 'sid', in: 'cookie' }), 'a b;c')).toEqual(['sid=a%20b%3Bc']);
    expect(serializeCookie(param({ name: 'ids', in: 'cookie', explode: false }), [1, 2])).toEqual(['ids=1,2']);
    expect(() => serializeCookie(param({ name: 'bad name', in: 'cookie' }), 'x')).toThrow(ParameterValueError);
  });
});
