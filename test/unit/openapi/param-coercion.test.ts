/** Parameter strings read as numbers or booleans only when the request that goes out stays the same. */
import { describe, expect, it } from 'vitest';
import { coerceScalarStrings, type ScalarParam } from '../../../src/openapi/param-coercion.js';

const scalars: ScalarParam[] = [
  { property: 'petId', kinds: ['integer'] },
  { property: 'price', kinds: ['number'] },
  { property: 'flag', kinds: ['boolean'] },
  { property: 'maybe', kinds: ['integer', 'boolean'] },
];

describe('coerceScalarStrings', () => {
  it('reads "1" as 1 for an integer parameter (LiteLLM\'s getpetbyid example), and numbers and booleans alike', () => {
    expect(coerceScalarStrings({ petId: '1', price: '9.5', flag: 'true', maybe: 'false' }, scalars)).toEqual({ petId: 1, price: 9.5, flag: true, maybe: false });
  });

  it('leaves strings whose number would print differently, other properties and the body alone', () => {
    const args = { petId: '01', price: '1e3', flag: 'yes', body: { petId: '1' }, name: '1' };
    expect(coerceScalarStrings(args, scalars)).toBe(args);
    expect(coerceScalarStrings({ petId: '9007199254740993' }, scalars)).toEqual({ petId: '9007199254740993' });
    expect(coerceScalarStrings({ petId: '1.5' }, scalars)).toEqual({ petId: '1.5' });
  });

  it('does not change the caller\'s object', () => {
    const args = { petId: '7' };
    expect(coerceScalarStrings(args, scalars)).toEqual({ petId: 7 });
    expect(args).toEqual({ petId: '7' });
  });
});
