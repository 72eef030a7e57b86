/**
 * Sends the outbox (README.md "Delivery"). Each endpoint with due deliveries gets a lane
 * (webhook-lane.ts: batches read in due order, a few requests in flight, answers recorded in one
 * statement). A delivery stays `queued` until its answer is recorded: a crash before that leaves it
 * queued, and the next start sends it again with the SAME `webhook-id` — delivery is at least
 * once, and receivers dedupe by that id.
 *
 * Retries: exponential back-off with jitter on the core's Timers port, until 3 days after the event.
 * A 410 Gone turns the endpoint off at once; a delivery that fails through the whole window turns it
 * off with an alert. The network call never runs inside a mutation of the workspace: turning an
 * endpoint off is its own short mutation afterwards.
 */
import type { WebhookEvent } from '../../contract';
import type { CoreContext } from '../context';
import type { TimerHandle, Timers } from '../jobs/timers';
import { preferenceSetting } from '../settings/preferences.api';
import type { SecretSealer } from '../sync/secrets';
import { systemOrigin } from '../sync/origins';
import { writeEndpointFields } from './endpoints-doc';
import { webhookHeaders } from './signing';
import { allowPrivatePreference, checkWebhookUrl } from './target-safety';
import { WebhookLane, type LaneSender, type SigningSecrets, type Target } from './webhook-lane';
import { WebhookTransport } from './webhook-transport';
import { endpointsWithDue, failQueued, nextDueAt, pruneEnded, publicDelivery, readSealedSecrets, requeueInterrupted, type AttemptResult, type StoredDelivery } from './webhooks.repo';

/** First retry after about this long, multiplied by `retryFactor` per attempt, up to `maxRetryMs`. */
export const firstRetryMs = 5_000;
const retryFactor = 4;
export const maxRetryMs = 10 * 60 * 60_000;
/** ±20 %: many deliveries that failed together (a receiver's outage) do not all come back at once. */
const jitter = 0.2;

/** The wait after failed attempt number `attempt` (1-based), jittered by `random` in [0, 1). */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(firstRetryMs * retryFactor ** Math.max(0, attempt - 1), maxRetryMs);
  return Math.round(base * (1 - jitter + 2 * jitter * random()));
}

/** The rotation overlap: the previous secret keeps signing this long after a rotation. */
export const rotationOverlapMs = 24 * 60 * 60_000;
/** A request's whole time (connect, send, answer headers and the excerpt read). */
export const requestTimeoutMs = 15_000;
/** The part of an answer kept in the log. */
export const excerptBytes = 1024;
/** The delivery log keeps ended deliveries this long (checked at most once a day, after a drain). */
export const logRetentionMs = 30 * 24 * 60 * 60_000;
const pruneEveryMs = 24 * 60 * 60_000;

/** Endpoints sent to at once (more wait for a lane to end). */
const laneLimit = 8;
/** After a database failure, the next look is this much later (not in a loop). */
const afterErrorMs = 5_000;

export interface SenderOptions {
  timers: Timers;
  clock: () => Date;
  sealer: SecretSealer;
  emit(event: WebhookEvent): void;
  random?: () => number;
}

interface OpenedSecrets extends SigningSecrets {
  sealedSecret: string;
  sealedPrevious: string | null;
}

/** The secrets that sign at `now`: the current one, and the previous one during a rotation's overlap. */
const signingNow = ({ current, previous, previousUntil }: SigningSecrets, now: number) =>
  previous && previousUntil !== null && now < previousUntil ? [current, previous] : [current];

export class WebhookSender implements LaneSender {
  #timer: { at: number; handle: TimerHandle } | null = null;
  /** One lane per endpoint this device has sent to (active while it has work). */
  readonly #lanes = new Map<string, WebhookLane>();
  /** Endpoints with due deliveries waiting for one of the `laneLimit` active places. */
  readonly #waiting = new Set<string>();
  /** A look for endpoints with due deliveries is under way; `#lookAgain`: something fell due meanwhile. */
  #looking: Promise<void> | null = null;
  #lookAgain = false;
  /** Pruning and arming the next retry, once no lane is active. */
  #winding: Promise<void> | null = null;
  #closing = false;
  #prunedAt = 0;
  /** The HTTP of every lane (keep-alive sockets; close ends the requests out). */
  readonly #transport = new WebhookTransport();
  /** Opened secrets by endpoint (memory only), re-opened when the sealed text changes (a rotation). */
  readonly #secrets = new Map<string, OpenedSecrets>();

  constructor(
    readonly ctx: CoreContext,
    private readonly options: SenderOptions,
  ) {}

  get closing(): boolean {
    return this.#closing;
  }

  /** At core start: deliveries a crash left `sending` are queued again; then everything due is sent. */
  async start(): Promise<void> {
    const interrupted = await requeueInterrupted(this.ctx.db, this.ctx.now());
    if (interrupted > 0) this.ctx.logger.info({ interrupted }, 'webhooks: deliveries interrupted by a stop are sent again');
    this.kick();
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#timer?.handle.cancel();
    this.#timer = null;
    this.#transport.close('Groundwork is closing.');
    await this.idle();
  }

  /**
   * Deliveries were queued for `endpointIds` (a save, a test, a redeliver): their lanes take them,
   * no query. Without ids (start, a retry's timer): a look for every endpoint with due deliveries.
   */
  kick(endpointIds?: readonly string[]): void {
    if (this.#closing) return;
    if (endpointIds) {
      for (const endpointId of endpointIds) this.#wake(endpointId);
      return;
    }
    if (this.#looking) {
      this.#lookAgain = true;
      return;
    }
    this.#looking = this.#look().finally(() => {
      this.#looking = null;
    });
  }

  /** The endpoint changed (URL, on/off, secret): its lane reads it again before the next batch. */
  endpointChanged(endpointId: string): void {
    this.#lanes.get(endpointId)?.forgetTarget();
  }

  /** Resolves once nothing is being sent (tests, benches, close). */
  async idle(): Promise<void> {
    const busy = () => this.#looking || this.#winding || [...this.#lanes.values()].some((lane) => lane.active);
    while (busy()) await Promise.all([this.#looking, this.#winding, ...[...this.#lanes.values()].map((lane) => lane.idle())]);
  }

  #wake(endpointId: string): void {
    let lane = this.#lanes.get(endpointId);
    if (!lane) {
      lane = new WebhookLane(this, endpointId, () => this.#laneIdle());
      this.#lanes.set(endpointId, lane);
    }
    if (!lane.active && this.#activeLanes() >= laneLimit) {
      this.#waiting.add(endpointId);
      return;
    }
    lane.wake();
  }

  #activeLanes(): number {
    let active = 0;
    for (const lane of this.#lanes.values()) if (lane.active) active++;
    return active;
  }

  async #look(): Promise<void> {
    try {
      do {
        this.#lookAgain = false;
        for (const endpointId of await endpointsWithDue(this.ctx.db, this.ctx.now())) this.#wake(endpointId);
      } while (this.#lookAgain && !this.#closing);
    } catch (error) {
      if (this.#closing) return;
      this.ctx.logger.error({ err: (error as Error).message }, 'webhooks: the outbox could not be read');
      this.#arm(this.options.clock().getTime() + afterErrorMs);
      return;
    }
    if (this.#activeLanes() === 0) this.#windDown();
  }

  /**
   * A lane went idle: an endpoint waiting for a place gets it, and the next retry is armed — also
   * while other lanes are busy (a retry of this endpoint must not wait for another's backlog).
   */
  #laneIdle(): void {
    if (this.#closing) return;
    const waiting = this.#waiting.values().next();
    if (!waiting.done) {
      this.#waiting.delete(waiting.value);
      this.#wake(waiting.value);
    }
    this.#windDown();
  }

  /** Old log rows are pruned (once a day) and a timer is armed for the next due delivery. */
  #windDown(): void {
    if (this.#winding || this.#closing) return;
    this.#winding = (async () => {
      try {
        await this.#prune();
        await this.#armNext();
      } catch (error) {
        if (!this.#closing) this.ctx.logger.error({ err: (error as Error).message }, 'webhooks: the next retry could not be armed');
      }
    })().finally(() => {
      this.#winding = null;
    });
  }

  /** Where an endpoint's deliveries go and what signs them, or why they go nowhere. */
  async target(endpointId: string): Promise<Target | { why: string }> {
    const { rows } = await this.ctx.db.query<{ url: string; enabled: boolean; deleted_at: Date | null }>('SELECT url, enabled, deleted_at FROM webhook_endpoints WHERE id = $1', [endpointId]);
    const row = rows[0];
    if (!row || row.deleted_at) return { why: 'The endpoint was deleted.' };
    if (!row.enabled) return { why: 'The endpoint is turned off.' };
    let secrets: SigningSecrets | null;
    try {
      secrets = await this.#signingSecrets(endpointId);
    } catch (error) {
      // The OS keychain (or the key file) cannot open it any more: say so rather than keep them queued for ever.
      return { why: `This device could not open the signing secret (${(error as Error).message}).` };
    }
    if (!secrets) return { why: 'This device no longer holds the signing secret.' };
    const allowPrivate = (await this.ctx.settings.get<boolean>(preferenceSetting(allowPrivatePreference))) === true;
    // The URL's form (a teammate's replica may have saved it under another preference); its name is
    // checked by the transport on the address each connection is made to.
    let refused: string | null = null;
    try {
      checkWebhookUrl(row.url, allowPrivate);
    } catch (error) {
      refused = (error as Error).message.replace(/^url: /, '');
    }
    return { url: row.url, secrets, refused, allowPrivate };
  }

  /** One attempt; never throws (a failure is the delivery's result). */
  async attempt(delivery: StoredDelivery, target: Target): Promise<AttemptResult> {
    const started = performance.now();
    const sent = { url: target.url, attemptedAt: this.ctx.now() };
    const failed = (responseStatus: number | null, excerpt: string | null, error: string) => ({ ...sent, ...this.#failed(delivery, responseStatus, excerpt, error, started) });
    if (target.refused) return failed(null, null, target.refused);
    try {
      const now = this.options.clock().getTime();
      const body = delivery.request.body;
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Groundwork-Webhooks/1',
        ...webhookHeaders(signingNow(target.secrets, now), delivery.webhookId, Math.floor(now / 1000), body),
      };
      const { status, excerpt } = await this.#transport.post(target.url, headers, body, { timeoutMs: requestTimeoutMs, excerptBytes, allowPrivate: target.allowPrivate });
      if (status >= 200 && status < 300) return { ...sent, status: 'delivered', responseStatus: status, responseExcerpt: excerpt, error: null, durationMs: elapsed(started), nextAttemptAt: null };
      // A redirect is an answer, not a place to follow: following one could lead anywhere (SSRF).
      const error = status >= 300 && status < 400 ? `The receiver redirected (${status}); redirects are not followed.` : `The receiver answered ${status}.`;
      if (status === 410) return { ...sent, status: 'failed', responseStatus: 410, responseExcerpt: excerpt, error, durationMs: elapsed(started), nextAttemptAt: null };
      return failed(status, excerpt, error);
    } catch (error) {
      return failed(null, null, (error as Error).message);
    }
  }

  /** A failed attempt: queued again after the back-off, or failed for good once past the retry window. */
  #failed(delivery: StoredDelivery, responseStatus: number | null, excerpt: string | null, error: string, started: number): Omit<AttemptResult, 'url' | 'attemptedAt'> {
    const next = this.options.clock().getTime() + retryDelayMs(delivery.attempt + 1, this.options.random);
    const durationMs = elapsed(started);
    if (next > Date.parse(delivery.giveUpAt)) return { status: 'failed', responseStatus, responseExcerpt: excerpt, error, durationMs, nextAttemptAt: null };
    return { status: 'queued', responseStatus, responseExcerpt: excerpt, error, durationMs, nextAttemptAt: new Date(next).toISOString() };
  }

  /** The endpoint's opened secrets (the previous one signs too until `previousUntil`: `signingNow`). */
  async #signingSecrets(endpointId: string): Promise<SigningSecrets | null> {
    const sealed = await readSealedSecrets(this.ctx.db, endpointId);
    if (!sealed) return null;
    let opened = this.#secrets.get(endpointId);
    if (!opened || opened.sealedSecret !== sealed.sealedSecret || opened.sealedPrevious !== sealed.sealedPrevious) {
      opened = {
        sealedSecret: sealed.sealedSecret,
        sealedPrevious: sealed.sealedPrevious,
        current: await this.options.sealer.open(sealed.sealedSecret),
        previous: sealed.sealedPrevious ? await this.options.sealer.open(sealed.sealedPrevious) : null,
        previousUntil: sealed.previousUntil ? Date.parse(sealed.previousUntil) : null,
      };
      this.#secrets.set(endpointId, opened);
    }
    return opened;
  }

  /** Turns the endpoint off (shared state: every teammate sees why), fails its queue, and alerts once. */
  async disable(delivery: StoredDelivery, reason: string): Promise<void> {
    const { workspaceId, endpointId } = delivery;
    try {
      const already = await this.ctx.db.query<{ enabled: boolean }>('SELECT enabled FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL', [endpointId]);
      if (!already.rows[0]?.enabled) return;
      await this.ctx.mutate(workspaceId, () => writeEndpointFields(this.ctx, workspaceId, systemOrigin('webhooks'), endpointId, { enabled: false, disabledReason: reason }));
      await failQueued(this.ctx.db, endpointId, 'The endpoint was turned off.');
      await this.ctx.main.api.notify.show({ title: 'Webhook endpoint turned off', body: reason }).catch((err: unknown) => {
        this.ctx.logger.warn({ err }, 'webhooks: could not show a notification');
      });
    } catch (error) {
      this.ctx.logger.warn({ err: (error as Error).message, endpointId }, 'webhooks: could not turn an endpoint off');
    }
  }

  /** Keeps the outbox bounded: ended deliveries older than the retention go, at most once a day. */
  async #prune(): Promise<void> {
    const now = this.options.clock().getTime();
    if (now - this.#prunedAt < pruneEveryMs) return;
    this.#prunedAt = now;
    const pruned = await pruneEnded(this.ctx.db, new Date(now - logRetentionMs).toISOString());
    if (pruned > 0) this.ctx.logger.info({ pruned }, 'webhooks: old deliveries left the log');
  }

  async #armNext(): Promise<void> {
    if (this.#closing) return;
    const busy = [...this.#lanes.values()].filter((lane) => lane.active).map((lane) => lane.endpointId);
    const due = await nextDueAt(this.ctx.db, this.ctx.now(), busy);
    if (due) this.#arm(due.getTime());
  }

  /** A kick at `at` (the earliest one armed wins). */
  #arm(at: number): void {
    if (this.#closing) return;
    if (this.#timer && this.#timer.at <= at) return;
    this.#timer?.handle.cancel();
    this.#timer = {
      at,
      handle: this.options.timers.at(new Date(at), () => {
        if (this.#timer?.at === at) this.#timer = null;
        this.kick();
      }),
    };
  }

  /** One event per batch (an endpoint's log re-reads once, not once per delivery). */
  emit(batch: StoredDelivery[]): void {
    const [first] = batch;
    if (first) this.options.emit({ workspaceId: first.workspaceId, endpointId: first.endpointId, deliveries: batch.map(publicDelivery) });
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);
