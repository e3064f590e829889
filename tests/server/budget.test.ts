/** The per-connection message budget: 100 frames in a one-second window, then refusals until the window turns. */
import { describe, expect, it } from 'vitest';
import { MessageBudget } from '../../server/limits/budget.ts';

describe('MessageBudget', () => {
  it('allows the limit within a window and again once it has passed', () => {
    let now = 10_000;
    const budget = new MessageBudget(3, 1000, () => now);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    now += 999;
    expect(budget.take()).toBe(false);
    now += 1;
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
  });
});
