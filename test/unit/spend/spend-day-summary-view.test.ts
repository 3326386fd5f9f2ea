import { describe, expect, it } from 'vitest';
import { spendDaySummaries } from '../../../src/spend/spend-day-summary-view.js';

const DAY_2024_03_10 = Date.UTC(2024, 2, 10) / 86_400_000;

describe('spendDaySummaries', () => {
  it('is [] without groups, whatever the end day (LiteLLM pads only after a day with rows)', () => {
    expect(spendDaySummaries([], DAY_2024_03_10 + 5)).toEqual([]);
  });

  it('folds one day of groups into its total, models and keys, and pads zero days after it through the end day', () => {
    const groups = [
      { day: DAY_2024_03_10, api_key: '', model: 'm1', spend: 0.5 },
      { day: DAY_2024_03_10, api_key: 'k', model: 'm1', spend: 0.25 },
      { day: DAY_2024_03_10, api_key: 'k', model: 'm2', spend: 2 },
    ];
    expect(spendDaySummaries(groups, DAY_2024_03_10 + 2)).toEqual([
      { startTime: '2024-03-10', spend: 2.75, models: { m1: 0.75, m2: 2 }, users: {}, '': 0.5, k: 2.25 },
      { startTime: '2024-03-11', spend: 0, models: {}, users: {} },
      { startTime: '2024-03-12', spend: 0, models: {}, users: {} },
    ]);
  });

  it('leaves out days without rows between days with rows, and pads nothing when the last day is the end day or later', () => {
    const groups = [
      { day: DAY_2024_03_10, api_key: 'k', model: 'm', spend: 1 },
      { day: DAY_2024_03_10 + 2, api_key: 'k', model: 'm', spend: 4 },
    ];
    expect(spendDaySummaries(groups, DAY_2024_03_10 + 1).map((day) => day.startTime)).toEqual(['2024-03-10', '2024-03-12']);
  });
});
