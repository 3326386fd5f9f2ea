import { describe, expect, it } from 'vitest';
import { definedFields } from '../../../src/admin/defined-fields.js';

interface Body {
  alias?: string | null;
  models?: string[];
  blocked?: boolean;
  budget?: number | null;
}

describe('definedFields', () => {
  it('keeps the named fields that are present, null and falsy values included, and drops absent ones', () => {
    const body: Body = { alias: null, models: [], blocked: false, budget: undefined };
    expect(definedFields(body, ['alias', 'models', 'blocked', 'budget'])).toEqual({ alias: null, models: [], blocked: false });
    expect('budget' in definedFields(body, ['budget'])).toBe(false);
  });

  it('copies only the fields it is given, whatever else the body holds', () => {
    const body: Body = { alias: 'a', models: ['m'], budget: 3 };
    expect(definedFields(body, ['alias'])).toEqual({ alias: 'a' });
    expect(definedFields(body, [])).toEqual({});
  });
});
