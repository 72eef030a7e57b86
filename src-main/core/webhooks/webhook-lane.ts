/**
 * One endpoint's sending (webhook-sender.ts gives each endpoint with due deliveries a lane). Up to
 * `inFlightPerEndpoint` workers take deliveries from a local queue and send them; a worker that
 * finds the queue empty claims the next batch — recording the answers gathered so far first — while
 * the others' requests are still out, so a lane never waits for its slowest request to claim more.
 * A claim only reads (the batch's deliveries stay `queued` until answered: a crash before the
 * answer is recorded sends them again at the next start, same `webhook-id`), and a batch's answers
 * are recorded in one statement: one write per batch, not two per event.
 */
import type { CoreContext } from '../context';
import { answeredDelivery, claimDue, failQueued, settleAttempts, type AttemptResult, type StoredDelivery } from './webhooks.repo';

/**
 * Requests in flight per endpoint. More than one: a receiver's round trip is not paid once per
 * event. Few: a receiver is not flooded, and events stay nearly in order (not strictly: use `timestamp`).
 */
export const inFlightPerEndpoint = 8;

/**
 * Deliveries claimed by one statement: about two seconds of the endpoint's work at its last pace,
 * between 16 and 1,024. A fast receiver's backlog goes in few statements (the claim and the record
 * are most of the sender's own cost, and each statement costs ~3 ms besides its rows: a 30,000
 * backlog drained in 5.9 s with batches up to 1,024, 6.7 s up to 256); a slow receiver's batch is
 * not left unrecorded for minutes (a crash sends again what was claimed, and the log shows it).
 */
const batchSeconds = 2;
const minBatch = 16;
const maxBatch = 1024;
export const batchSizeFor = (meanRequestMs: number) =>
  Math.round(Math.min(maxBatch, Math.max(minBatch, (inFlightPerEndpoint * batchSeconds * 1000) / Math.max(1, meanRequestMs))));

/** An endpoint's signing secrets, opened; the previous one signs too until `previousUntil` (ms). */
export interface SigningSecrets {
  current: string;
  previous: string | null;
  previousUntil: number | null;
}

/** Where an endpoint's deliveries go and what signs them. */
export interface Target {
  url: string;
  secrets: SigningSecrets;
  /** Why no request may go there now (a refused address): each delivery fails with it, no request. */
  refused: string | null;
  /** The host may resolve to a private address (checked again at each connect otherwise). */
  allowPrivate: boolean;
}

/** A lane re-reads its endpoint (URL, on/off, secrets, the URL's form) at most this often (and after `forgetTarget`). */
const targetTtlMs = 1_000;

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
  result: AttemptResult;
}

/**
 * A lane lives as long as the sender; it is active while it has workers. `wake` (deliveries were
 * queued for the endpoint, or fell due) starts a worker; a worker that claims a batch starts the
 * others; the last one out records what is left and the lane goes idle (`onIdle`).
 */
export class WebhookLane {
  readonly #queue: { delivery: StoredDelivery; target: Target }[] = [];
  readonly #answered: Attempt[] = [];
  /** Claimed and not yet recorded (queued, in flight or answered): the next claim leaves them out. */
  readonly #claimed = new Set<string>();
  #workers = 0;
  #claiming: Promise<boolean> | null = null;
  /** Woken while a claim ran: that claim may have read before the new deliveries were saved. */
  #wokenDuringClaim = false;
  /** The endpoint went off, away or Gone: no more requests in this active period. */
  #stopped = false;
  #batchSize = minBatch;
  #target: { value: Target; readAt: number } | null = null;
  /** Bumped by `forgetTarget`: a claim under way then reads the endpoint again before taking its batch. */
  #targetVersion = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(
    private readonly sender: LaneSender,
    readonly endpointId: string,
    private readonly onIdle: () => void,
  ) {}

  get active(): boolean {
    return this.#idle !== null;
  }

  /** Resolves when the lane has nothing left to send and every answer is recorded. */
  idle(): Promise<void> {
    return this.#idle?.promise ?? Promise.resolve();
  }

  /**
   * The endpoint changed (URL, on/off, secret): what the lane holds and has not sent goes back
   * (still queued in the outbox), and the next batch reads the endpoint again — turned off, it
   * gets no request beyond those already out (a batch can be 1,024).
   */
  forgetTarget(): void {
    this.#target = null;
    this.#targetVersion++;
    for (const { delivery } of this.#queue.splice(0)) this.#claimed.delete(delivery.id);
  }

  /** Deliveries of the endpoint may be due: a worker starts (it claims, or ends if nothing is due). */
  wake(): void {
    if (this.sender.closing) return;
    if (!this.#idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#idle = { promise, resolve };
      // A new active period: nothing is in flight. What an error left unrecorded is still queued
      // in the outbox and is claimed (sent) again.
      this.#stopped = false;
      this.#queue.length = 0;
      this.#answered.length = 0;
      this.#claimed.clear();
    }
    if (this.#claiming) this.#wokenDuringClaim = true;
    this.#spawn(1);
  }

  #spawn(count: number): void {
    for (let i = 0; i < count && this.#workers < inFlightPerEndpoint && !this.#stopped; i++) {
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
          this.#answered.push({ delivery: next.delivery, result });
          continue;
        }
        if (!(await this.#claim())) return;
      }
    } catch (error) {
      // A database failure: stop here; what was claimed stays queued and goes out at the next start.
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
      for (;;) {
        this.#wokenDuringClaim = false;
        if (this.#stopped || this.sender.closing) return false;
        const version = this.#targetVersion;
        const target = await this.#currentTarget();
        if ('why' in target) {
          await this.#stop(target.why);
          return false;
        }
        const { ctx } = this.sender;
        const batch = await claimDue(ctx.db, this.endpointId, ctx.now(), this.#batchSize, [...this.#claimed]);
        // The endpoint changed while this batch was read: read it again first (the batch stays queued).
        if (version !== this.#targetVersion) continue;
        if (batch.length === 0) {
          if (this.#wokenDuringClaim) continue;
          return false;
        }
        for (const delivery of batch) {
          this.#claimed.add(delivery.id);
          this.#queue.push({ delivery, target });
        }
        this.#spawn(inFlightPerEndpoint);
        return true;
      }
    })().finally(() => {
      this.#claiming = null;
    });
    return this.#claiming;
  }

  async #currentTarget(): Promise<Target | { why: string }> {
    if (this.#target && performance.now() - this.#target.readAt < targetTtlMs) return this.#target.value;
    const target = await this.sender.target(this.endpointId);
    this.#target = 'why' in target ? null : { value: target, readAt: performance.now() };
    return target;
  }

  /** Records the answers gathered so far, in one statement; a 410 or a delivery out of retries turns the endpoint off. */
  async #record(): Promise<void> {
    const attempts = this.#answered.splice(0);
    if (attempts.length === 0) return;
    const { ctx } = this.sender;
    this.#batchSize = batchSizeFor(attempts.reduce((sum, { result }) => sum + result.durationMs, 0) / attempts.length);
    const now = ctx.now();
    try {
      await settleAttempts(ctx.db, attempts.map(({ delivery, result }) => ({ id: delivery.id, attempt: delivery.attempt, result })), now);
    } finally {
      for (const { delivery } of attempts) this.#claimed.delete(delivery.id);
    }
    this.sender.emit(attempts.map(({ delivery, result }) => answeredDelivery(delivery, result, now)));
    const gone = attempts.find(({ result }) => result.responseStatus === 410);
    const expired = attempts.find(({ result }) => result.status === 'failed');
    if (gone) await this.#stop(null, () => this.sender.disable(gone.delivery, `${gone.result.url} answered 410 Gone: the receiver asked to stop.`));
    else if (expired) await this.#stop(null, () => this.sender.disable(expired.delivery, `Deliveries to ${expired.result.url} failed for 3 days (last: ${expired.result.error}).`));
  }

  /**
   * No more requests: the claimed deliveries not yet sent are dropped from the lane (still
   * `queued`), then the endpoint's queue ends as failed with `why` (or `disable` turns it off,
   * which does the same).
   */
  async #stop(why: string | null, disable?: () => Promise<void>): Promise<void> {
    this.#stopped = true;
    this.forgetTarget();
    if (disable) await disable();
    else await failQueued(this.sender.ctx.db, this.endpointId, why ?? 'The endpoint was turned off.');
  }

  /** The last worker out: the answers still unrecorded are recorded (a close leaves them queued: sent again at the next start). */
  async #end(): Promise<void> {
    try {
      if (!this.sender.closing) await this.#record();
    } catch (error) {
      this.sender.ctx.logger.error({ err: (error as Error).message, endpointId: this.endpointId }, 'webhooks: answers could not be recorded');
    }
    // A wake while recording started workers again: they end the active period.
    if (this.#workers > 0 || !this.#idle) return;
    const { resolve } = this.#idle;
    this.#idle = null;
    resolve();
    this.onIdle();
  }
}
