import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseDurationMs, BUDGET_DURATION_PATTERN } from '../../../src/config/duration.js';

describe('LiteLLM duration strings', () => {
  it('reads <n><s|m|h|d> with surrounding spaces, n ≥ 0', () => {
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs(' 15m ')).toBe(900_000);
    expect(parseDurationMs('12 h')).toBe(12 * 3_600_000);
    expect(parseDurationMs('30d')).toBe(30 * 86_400_000);
    expect(parseDurationMs('0s')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 's', '30', '30w', '1.5h', '-1d', '30 days', '1h30m']) expect(parseDurationMs(bad)).toBeNull();
  });

  it('the budget_duration pattern accepts the positive ones, weeks and 1mo (LiteLLM\'s budget units)', () => {
    const valid = new Ajv().compile({ type: 'string', pattern: BUDGET_DURATION_PATTERN });
    for (const good of ['30s', ' 15m ', '12 h', '30d', '1w', '2w', '1mo', ' 1 mo ']) expect(valid(good)).toBe(true);
    for (const bad of ['0s', '00m', '30', '1.5h', '0w', '2mo', '1month', 'monthly']) expect(valid(bad)).toBe(false);
  });
});
