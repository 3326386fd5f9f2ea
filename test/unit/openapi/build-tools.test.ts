/**
 * `tool_name_to_display_name` / `tool_name_to_description` keys after tool names became LiteLLM's lower-cased
 * names: a key may be the generated name, the operationId as the spec writes it, or the generated name in any case.
 */
import { describe, expect, it } from 'vitest';
import { buildToolSet, type OpenApiToolSettings } from '../../../src/openapi/build-tools.js';

const spec = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  servers: [{ url: 'http://api.test/v1' }],
  paths: {
    '/pet/{petId}': { get: { operationId: 'getPetById', parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } },
    '/pet/findByStatus': { get: { operationId: 'findPetsByStatus', responses: { 200: { description: 'ok' } } } },
    '/Users/{id}': { get: { responses: { 200: { description: 'ok' } } } },
    '/pets': { get: { operationId: 'pets.list', responses: { 200: { description: 'ok' } } } },
  },
};

function names(overrides: Partial<OpenApiToolSettings>): string[] {
  return buildToolSet(spec, undefined, { server: 'petstore', displayNames: {}, descriptions: {}, ...overrides }).tools.map((entry) => entry.tool.name);
}

describe('override keys', () => {
  it('generates LiteLLM names: getpetbyid, findpetsbystatus, get_users_id, pets_list', () => {
    expect(names({})).toEqual(['getpetbyid', 'findpetsbystatus', 'get_users_id', 'pets_list']);
  });

  it('takes display-name keys written in the operationId\'s case, the generated name, or the generated name in another case', () => {
    expect(names({ displayNames: { getPetById: 'pet', findpetsbystatus: 'by_status', get_Users_Id: 'user', 'pets.list': 'pets' } })).toEqual([
      'pet',
      'by_status',
      'user',
      'pets',
    ]);
  });

  it('prefers the generated name, then the operationId, then a case-insensitive match, whatever the key order', () => {
    expect(names({ displayNames: { GETPETBYID: 'third', getPetById: 'second', getpetbyid: 'first' } })[0]).toBe('first');
    expect(names({ displayNames: { GETPETBYID: 'third', getPetById: 'second' } })[0]).toBe('second');
  });

  it('applies description keys the same way, and ignores keys that name no tool (or Object.prototype)', () => {
    const set = buildToolSet(spec, undefined, {
      server: 'petstore',
      displayNames: {},
      descriptions: { getPetById: 'Reads one pet.', FindPetsByStatus: 'Lists pets.', constructor: 'x' },
    });
    expect(set.tools.map((entry) => entry.tool.description)).toEqual(['Reads one pet.', 'Lists pets.', 'GET /Users/{id}', 'GET /pets']);
  });
});
