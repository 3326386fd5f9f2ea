import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../../src/http/request-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRequestId', () => {
  it('is an RFC 9562 UUIDv7 whose first 48 bits are the current Unix milliseconds', () => {
    const before = Date.now();
    const id = newRequestId();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    const millis = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });

  it('sorts by time across milliseconds and never repeats', async () => {
    const first = Array.from({ length: 1000 }, () => newRequestId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = Array.from({ length: 1000 }, () => newRequestId());
    expect(new Set([...first, ...second]).size).toBe(2000);
    const latestFirst = [...first].sort().at(-1) ?? '';
    expect([...second].sort()[0] > latestFirst).toBe(true);
  });
});
