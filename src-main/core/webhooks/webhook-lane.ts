/**
 * One endpoint's sending (webhook-sender.ts gives each endpoint with due deliveries a lane). Up to
 * `inFlightPerEndpoint` workers take deliveries from a local queue and send them; a worker that
 * finds the queue empty claims the next batch — recording the answers gathered so far first — while
 * the others' requests are still out, so a lane never waits for its slowest request to claim more.
 * Each batch is claimed `sending` in ONE committed statement before any of its requests goes out,
 * and its answers are recorded in one statement: two writes per batch, not two per event.
 */
import type { CoreContext } from '../context';
import { failQueued, releaseClaimed, settleAttempts, type AttemptResult, type StoredDelivery, claimDue } from './webhooks.repo';

/**
 * Requests in flight per endpoint. More than one: a receiver's round trip is not paid once per
 * event. Few: a receiver is not flooded, and events stay nearly in order (not strictly: use `timestamp`).
 */
export const inFlightPerEndpoint = 4;

/**
 * Deliveries claimed by one statement: about two seconds of the endpoint's work at its last pace,
 * between 16 and 256. A fast receiver's backlog goes in few writes (the claim and the record are
 * most of the sender's own cost); a slow receiver's batch is not left `sending` for minutes (a
 * crash sends again what was claimed, and the log shows it).
 */
const batchSeconds = 2;
const minBatch = 16;
const maxBatch = 256;
export const batchSizeFor = (meanRequestMs: number) =>
  Math.round(Math.min(maxBatch, Math.max(minBatch, (inFlightPerEndpoint * batchSeconds * 1000) / Math.max(1, meanRequestMs))));

/** Where an endpoint's deliveries go and what signs them. */
export interface Target {
  url: string;
  /** The secrets that sign (the previous one too during a rotation's overlap). */
  secrets: string[];
  /** Why no request may go there now (a refused address): each delivery fails with it, no request. */
  refused: string | null;
}

/** What a lane needs of the sender. */
export interface LaneSender {
  readonly ctx: CoreContext;
  readonly closing: boolean;
  /** The endpoint's target, or why it has none (deleted, off, secret not here). */
  target(endpointId: string): Promise<Target | { why: string }>;
  /** One request; never throws (a failure is the result). */
  attempt(delivery: StoredDelivery, target: Target): Promise<AttemptResult>;
  /** Deliveries changed state (the delivery log re-reads). */
  emit(batch: StoredDelivery[]): void;
  /** Turns the endpoint off with the reason (shared state, notification). */
  disable(delivery: StoredDelivery, reason: string): Promise<void>;
}

interface Attempt {
  delivery: StoredDelivery;
  url: string;
  result: AttemptResult;
}

export class WebhookLane {
  readonly #queue: { delivery: StoredDelivery; target: Target }[] = [];
  readonly #answered: Attempt[] = [];
  #workers = 0;
  #claiming: Promise<boolean> | null = null;
  /** The endpoint went off, away or Gone: no more requests (what was claimed goes back). */
  #stopped = false;
  #ended = false;
  #batchSize = minBatch;
  #resolveEnded!: () => void;
  /** Resolves when the lane has nothing left to send and every answer is recorded. */
  readonly ended = new Promise<void>((resolve) => (this.#resolveEnded = resolve));

  constructor(
    private readonly sender: LaneSender,
    readonly endpointId: string,
  ) {}

  /** New deliveries may be due: idle worker places start (each claims, or ends if nothing is due). */
  wake(): void {
    if (this.#ended || this.#stopped) return;
    while (this.#workers < inFlightPerEndpoint) {
      this.#workers++;
      void this.#work();
    }
  }

  async #work(): Promise<void> {
    try {
      for (;;) {
        if (this.sender.closing || this.#stopped) return;
        const next = this.#queue.shift();
        if (next) {
          const result = await this.sender.attempt(next.delivery, next.target);
          this.#answered.push({ delivery: next.delivery, url: next.target.url, result });
          continue;
        }
        if (!(await this.#claim())) return;
      }
    } catch (error) {
      // A database failure: stop here; what was claimed stays `sending` and goes out at the next start.
      this.#stopped = true;
      this.sender.ctx.logger.error({ err: (error as Error).message, endpointId: this.endpointId }, 'webhooks: an endpoint could not be sent to');
    } finally {
      if (--this.#workers === 0) void this.#end();
    }
  }

  /** The next batch into the queue (one claim at a time; workers finding the queue empty share it). False when nothing is due. */
  #claim(): Promise<boolean> {
    this.#claiming ??= (async () => {
      await this.#record();
      if (this.#stopped || this.sender.closing) return false;
      // Read per batch: an edit of the URL or a rotation applies to the next batch.
      const target = await this.sender.target(this.endpointId);
      if ('why' in target) {
        await this.#stop(target.why);
        return false;
      }
      const { ctx } = this.sender;
      const batch = await claimDue(ctx.db, this.endpointId, target.url, ctx.now(), this.#batchSize);
      if (batch.length === 0) return false;
      this.sender.emit(batch);
      for (const delivery of batch) this.#queue.push({ delivery, target });
      this.wake();
      return true;
    })().finally(() => {
      this.#claiming = null;
    });
    return this.#claiming;
  }

  /** Records the answers gathered so far, in one statement; a 410 or a delivery out of retries turns the endpoint off. */
  async #record(): Promise<void> {
    const attempts = this.#answered.splice(0);
    if (attempts.length === 0) return;
    const { ctx } = this.sender;
    this.#batchSize = batchSizeFor(attempts.reduce((sum, { result }) => sum + result.durationMs, 0) / attempts.length);
    const now = ctx.now();
    await settleAttempts(ctx.db, attempts.map(({ delivery, result }) => ({ id: delivery.id, result })), now);
    this.sender.emit(attempts.map(({ delivery, result }) => ({ ...delivery, ...result, deliveredAt: result.status === 'delivered' ? now : delivery.deliveredAt })));
    const gone = attempts.find(({ result }) => result.responseStatus === 410);
    const expired = attempts.find(({ result }) => result.status === 'failed');
    if (gone) await this.#stop(null, () => this.sender.disable(gone.delivery, `${gone.url} answered 410 Gone: the receiver asked to stop.`));
    else if (expired) await this.#stop(null, () => this.sender.disable(expired.delivery, `Deliveries to ${expired.url} failed for 3 days (last: ${expired.result.error}).`));
  }

  /**
   * No more requests: the claimed deliveries not yet sent go back to `queued` (as they were), then
   * the endpoint's queue ends as failed with `why` (or `disable` turns it off, which does the same).
   */
  async #stop(why: string | null, disable?: () => Promise<void>): Promise<void> {
    this.#stopped = true;
    const { db } = this.sender.ctx;
    await releaseClaimed(
      db,
      this.#queue.splice(0).map(({ delivery }) => delivery.id),
    );
    if (disable) await disable();
    else await failQueued(db, this.endpointId, why ?? 'The endpoint was turned off.');
  }

  /** The last worker out: the answers still unrecorded are recorded (a close leaves them `sending`: sent again at the next start). */
  async #end(): Promise<void> {
    try {
      if (!this.sender.closing) await this.#record();
    } catch (error) {
      this.sender.ctx.logger.error({ err: (error as Error).message, endpointId: this.endpointId }, 'webhooks: answers could not be recorded');
    }
    // A wake while recording started workers again: they end the lane.
    if (this.#workers > 0 || this.#ended) return;
    this.#ended = true;
    this.#resolveEnded();
  }
}
