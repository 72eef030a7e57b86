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

  it('fires a date that passes while it is being armed (node-schedule alone would drop it)', async () => {
    const timers = nodeScheduleTimers();
    let armed = 0;
    let fired = 0;
    // Twenty times: timers for 1 ms ahead, armed one after another until that date has passed, so
    // one of them is armed as the clock crosses it. Bounded: each round stops once the date passed.
    for (let round = 0; round < 20; round++) {
      const date = new Date(Date.now() + 1);
      while (Date.now() <= date.getTime()) {
        armed++;
        timers.at(date, () => fired++);
      }
    }
    for (let wait = 0; wait < 100 && fired < armed; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(armed);
  });
});
