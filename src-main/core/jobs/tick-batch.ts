/**
 * Work items gathered while the event loop turns and written together: the first item of a
 * batch schedules a flush on the next turn (setImmediate), and items that come while a flush is
 * writing wait for the next one. So a thousand runs that end at one minute cost a handful of
 * statements (or doc transactions), not a thousand in series, and a lone item waits one turn.
 */
interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class TickBatch<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;

  /** `write` gets the items in the order they came and answers one result per item, in that order. */
  constructor(private readonly write: (items: T[]) => Promise<R[]>) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.waiting.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting.splice(0);
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      batch.forEach((w) => w.reject(error));
    }
  }
}
