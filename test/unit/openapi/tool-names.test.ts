/** Tool names (issue #5 point 2): operationId or method_path, SEP-986, deterministic collision suffixes. */
import { describe, expect, it } from 'vitest';
import { baseToolName, toolNameProblem, uniqueNames } from '../../../src/openapi/tool-names.js';

describe('tool names', () => {
  it('uses the operationId, sanitised to SEP-986', () => {
    expect(baseToolName({ operationId: 'get pet/by id!', method: 'get', path: '/x' })).toBe('get_pet_by_id');
    expect(baseToolName({ operationId: 'pets.list-all', method: 'get', path: '/x' })).toBe('pets.list-all');
  });

  it('falls back to <method>_<path>', () => {
    expect(baseToolName({ method: 'get', path: '/todos/{id}/notes' })).toBe('get_todos_id_notes');
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
