/**
 * Tool names (issue #5 point 2): operationId or method_path, sanitised and lower-cased as LiteLLM names them
 * (reference/litellm-behaviour.md §7), deterministic collision suffixes.
 */
import { describe, expect, it } from 'vitest';
import { baseToolName, toolNameProblem, uniqueNames } from '../../../src/openapi/tool-names.js';

describe('tool names', () => {
  it('uses the operationId with characters outside [A-Za-z0-9_-] (the dot included) written _', () => {
    expect(baseToolName({ operationId: 'get pet/by id!', method: 'get', path: '/x' })).toBe('get_pet_by_id');
    expect(baseToolName({ operationId: 'pets.list-all', method: 'get', path: '/x' })).toBe('pets_list-all');
  });

  it('lower-cases the name as LiteLLM does: getPetById is getpetbyid, the name its Petstore example calls', () => {
    expect(baseToolName({ operationId: 'getPetById', method: 'get', path: '/pet/{petId}' })).toBe('getpetbyid');
    expect(baseToolName({ operationId: 'findPetsByStatus', method: 'get', path: '/pet/findByStatus' })).toBe('findpetsbystatus');
  });

  it('falls back to <method>_<path>, lower-cased', () => {
    expect(baseToolName({ method: 'get', path: '/todos/{id}/notes' })).toBe('get_todos_id_notes');
    expect(baseToolName({ method: 'get', path: '/Users/{userId}' })).toBe('get_users_userid');
  });

  it('suffixes operationIds that differ only in case, since their names collide', () => {
    const names = ['getPet', 'GetPet'].map((operationId) => baseToolName({ operationId, method: 'get', path: '/x' }));
    expect(uniqueNames(names)).toEqual(['getpet', 'getpet_2']);
  });

  it('cuts to 128 characters', () => {
    expect(baseToolName({ operationId: 'a'.repeat(300), method: 'get', path: '/' })).toHaveLength(128);
  });

  it('suffixes collisions _2, _3 in order', () => {
    expect(uniqueNames(['a', 'b', 'a', 'a', 'a_2'])).toEqual(['a', 'b', 'a_2', 'a_3', 'a_2_2']);
  });

  it('checks display names against SEP-986', () => {
    expect(toolNameProblem('Get Pet')).toContain('SEP-986');
    expect(toolNameProblem('get_pet')).toBeUndefined();
  });
});
