/**
 * Mutations run one at a time per workspace (Actual Budget's `sequential` runMutator, keyed): a
 * mutation's deciding reads — the next task number, whether a key is free, the order key at the
 * end of a column, membership — and its doc transaction form one unit that no other mutation of
 * the same workspace interleaves with. Other workspaces' mutations and all reads go on meanwhile.
 */
export class MutationQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after the workspace's earlier mutations (`null`: this machine's own settings). */
  run<T>(workspaceId: string | null, work: () => Promise<T>): Promise<T> {
    const key = workspaceId ?? '';
    const run = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // A workspace with nothing queued holds no entry.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Resolves once every mutation queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
