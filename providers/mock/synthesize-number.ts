/** Number and integer values for synthesised tool arguments: the user's numbers in order, within the schema's bounds. */
import type { UserValues } from './user-values.js';

type Schema = { [key: string]: unknown };

interface Bounds {
  min?: number;
  minExclusive: boolean;
  max?: number;
  maxExclusive: boolean;
  integer: boolean;
}

function boundsOf(schema: Schema, integer: boolean): Bounds {
  const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  // Draft 6+ gives exclusive bounds as numbers; draft 4 as booleans beside minimum/maximum.
  const exclusiveMin = num(schema.exclusiveMinimum);
  const exclusiveMax = num(schema.exclusiveMaximum);
  return {
    min: exclusiveMin ?? num(schema.minimum),
    minExclusive: exclusiveMin !== undefined || schema.exclusiveMinimum === true,
    max: exclusiveMax ?? num(schema.maximum),
    maxExclusive: exclusiveMax !== undefined || schema.exclusiveMaximum === true,
    integer,
  };
}

function fits(value: number, b: Bounds): boolean {
  if (b.integer && !Number.isInteger(value)) return false;
  if (b.min !== undefined && (b.minExclusive ? value <= b.min : value < b.min)) return false;
  if (b.max !== undefined && (b.maxExclusive ? value >= b.max : value > b.max)) return false;
  return true;
}

/** The minimum (nudged inside when exclusive or fractional for an integer), else 0, else the maximum. */
function fallback(b: Bounds): number {
  if (b.min !== undefined) {
    if (b.integer) return b.minExclusive ? Math.floor(b.min) + 1 : Math.ceil(b.min);
    return b.minExclusive ? b.min + 1 : b.min;
  }
  if (fits(0, b) || b.max === undefined) return 0;
  if (b.integer) return b.maxExclusive ? Math.ceil(b.max) - 1 : Math.floor(b.max);
  return b.maxExclusive ? b.max - 1 : b.max;
}

/**
 * A number for one property, or undefined when it is optional and no unused number from the user fits.
 * When numbers exist but none fits, the minimum is used (respecting bounds beats echoing the user).
 */
export function synthesizeNumber(
  schema: Schema,
  integer: boolean,
  required: boolean,
  values: UserValues,
): number | undefined {
  const bounds = boundsOf(schema, integer);
  const taken = values.takeNumber((value) => fits(value, bounds));
  if (taken !== undefined) return taken;
  return required ? fallback(bounds) : undefined;
}
