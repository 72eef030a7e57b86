/**
 * A clock and timers the test moves by hand, for the scheduler (`createCore({ clock, timers })`).
 * `advanceTo` fires every timer due on the way, in time order, with the clock at each timer's
 * time, and lets the core settle after each (so a run a timer started is recorded before the next
 * fires). `sleepUntil` moves the clock without firing anything: a machine that slept.
 */
import type { TimerHandle, Timers } from '../timers';

interface Pending {
  at: number;
  seq: number;
  fire: () => void;
}

export class FakeTime {
  private nowMs: number;
  private seq = 0;
  private readonly pending = new Set<Pending>();

  constructor(start: Date | string) {
    this.nowMs = new Date(start).getTime();
  }

  readonly clock = (): Date => new Date(this.nowMs);

  readonly timers: Timers = {
    at: (date: Date, fire: () => void): TimerHandle => {
      const entry: Pending = { at: date.getTime(), seq: this.seq++, fire };
      this.pending.add(entry);
      return { cancel: () => this.pending.delete(entry) };
    },
  };

  now(): Date {
    return this.clock();
  }

  /** Times of the timers waiting, earliest first (what the scheduler armed). */
  armed(): Date[] {
    return [...this.pending].sort((a, b) => a.at - b.at || a.seq - b.seq).map((p) => new Date(p.at));
  }

  /**
   * Moves the clock to `target`, firing each due timer at its own time and awaiting `settle`
   * after each. Bounded: more than `maxFires` firings means a timer keeps re-arming itself at once.
   */
  async advanceTo(target: Date | string, settle: () => Promise<void>, maxFires = 10_000): Promise<void> {
    const end = new Date(target).getTime();
    for (let fired = 0; ; fired++) {
      if (fired > maxFires) throw new Error(`more than ${maxFires} timers fired before ${new Date(end).toISOString()}`);
      const next = [...this.pending].filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.pending.delete(next);
      this.nowMs = Math.max(this.nowMs, next.at);
      next.fire();
      await settle();
    }
    this.nowMs = Math.max(this.nowMs, end);
    await settle();
  }

  async advanceBy(ms: number, settle: () => Promise<void>): Promise<void> {
    await this.advanceTo(new Date(this.nowMs + ms), settle);
  }

  /** The machine slept: the clock jumps, no timer fires (they fire late, if ever — see power.resumed). */
  sleepUntil(target: Date | string): void {
    this.nowMs = Math.max(this.nowMs, new Date(target).getTime());
  }
}
