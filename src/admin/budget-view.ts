/**
 * The budget fields LiteLLM shows on a key, team or organisation (`/key/info`, `/team/info`, …): `spend` in the
 * current budget period (0 once the period it was counted in has ended, as LiteLLM's reset job sets it) and
 * `budget_reset_at`, when the budget next resets (ISO 8601; null without a `budget_duration`).
 */
import { isoOrNull } from '../auth/management-fields.js';
import { currentBudget, type StoredBudget } from '../spend/budget-duration.js';

export function withCurrentBudget<View extends object>(view: View, entity: StoredBudget, now: number): View & { spend: number; budget_reset_at: string | null } {
  const { spend, budget_reset_at: resetAt } = currentBudget(entity, now);
  return { ...view, spend, budget_reset_at: isoOrNull(resetAt) };
}
