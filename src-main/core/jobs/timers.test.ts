import { describe, expect, it } from 'vitest';
import { nodeScheduleTimers } from './timers';

describe('node-schedule timers (production)', () => {
  it('fires a date once, fires a past date at once, and cancels', async () => {
    const timers = nodeScheduleTimers();
    const fired: string[] = [];
    const soon = new Date(Date.now() + 80);
    await new Promise<void>((resolve) => {
      timers.at(soon, () => {
        fired.push('soon');
        resolve();
      });
      timers.at(new Date(Date.now() - 1000), () => fired.push('past'));
      timers.at(new Date(Date.now() + 40), () => fired.push('cancelled')).cancel();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fired).toEqual(['past', 'soon']);
  });
});
