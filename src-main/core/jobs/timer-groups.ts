/**
 * Keyed timers grouped by time: ONE `Timers` timer per distinct date, however many keys wait for
 * it, and one callback with every key due then. A thousand jobs due at 10:00 cost one
 * node-schedule timer and one wake-up, so their runs start together instead of one timer
 * callback (and one round of bookkeeping) after another.
 */
import type { TimerHandle, Timers } from './timers';

interface Group {
  handle: TimerHandle;
  keys: Set<string>;
}

export class TimerGroups {
  private readonly groups = new Map<number, Group>();
  private readonly dueAt = new Map<string, number>();

  constructor(
    private readonly timers: Timers,
    /** Called once per date with the keys still waiting for it (never empty). */
    private readonly fire: (at: Date, keys: string[]) => void,
  ) {}

  /** The date `key` waits for, if any. */
  at(key: string): Date | null {
    const at = this.dueAt.get(key);
    return at === undefined ? null : new Date(at);
  }

  has(key: string): boolean {
    return this.dueAt.has(key);
  }

  /** How many keys wait. */
  get size(): number {
    return this.dueAt.size;
  }

  keys(): IterableIterator<string> {
    return this.dueAt.keys();
  }

  /** Makes `key` wait for `date` (instead of any date it waited for). */
  set(key: string, date: Date): void {
    const at = date.getTime();
    if (this.dueAt.get(key) === at) return;
    this.delete(key);
    this.dueAt.set(key, at);
    const group = this.groups.get(at);
    if (group) {
      group.keys.add(key);
      return;
    }
    const keys = new Set([key]);
    const handle = this.timers.at(date, () => {
      if (this.groups.get(at)?.handle !== handle) return;
      this.groups.delete(at);
      for (const k of keys) this.dueAt.delete(k);
      if (keys.size > 0) this.fire(new Date(at), [...keys]);
    });
    this.groups.set(at, { handle, keys });
  }

  /** Stops `key` waiting; the date's timer goes once no key waits for it. */
  delete(key: string): void {
    const at = this.dueAt.get(key);
    if (at === undefined) return;
    this.dueAt.delete(key);
    const group = this.groups.get(at);
    if (!group) return;
    group.keys.delete(key);
    if (group.keys.size === 0) {
      group.handle.cancel();
      this.groups.delete(at);
    }
  }

  clear(): void {
    for (const { handle } of this.groups.values()) handle.cancel();
    this.groups.clear();
    this.dueAt.clear();
  }
}
