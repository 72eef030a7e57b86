/**
 * Sends the outbox (README.md "Delivery"). Each endpoint with due deliveries gets a lane
 * (webhook-lane.ts: batches claimed `sending` in one committed statement BEFORE their requests go
 * out, a few requests in flight, answers recorded in one statement). A crash between the claim and
 * the record leaves deliveries `sending`; the next start queues them again and they are sent again
 * with the SAME `webhook-id`: delivery is at least once, and receivers dedupe by that id.
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
import { allowPrivatePreference, checkWebhookTarget } from './target-safety';
import { WebhookLane, type LaneSender, type Target } from './webhook-lane';
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
  fetch: typeof fetch;
  timers: Timers;
  clock: () => Date;
  sealer: SecretSealer;
  emit(event: WebhookEvent): void;
  random?: () => number;
}

interface OpenedSecrets {
  sealedSecret: string;
  sealedPrevious: string | null;
  current: string;
  previous: string | null;
  previousUntil: number | null;
}

export class WebhookSender implements LaneSender {
  #timer: { at: number; handle: TimerHandle } | null = null;
  /** The endpoints being sent to now. */
  readonly #lanes = new Map<string, WebhookLane>();
  /** A look for endpoints with due deliveries is under way; `#lookAgain`: something was queued meanwhile. */
  #looking: Promise<void> | null = null;
  #lookAgain = false;
  #closing = false;
  #prunedAt = 0;
  readonly #abort = new AbortController();
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
    this.#abort.abort();
    await this.idle();
  }

  /** Something was queued or fell due: lanes at work take it; endpoints without one get one. */
  kick(): void {
    if (this.#closing) return;
    for (const lane of this.#lanes.values()) lane.wake();
    if (this.#looking) {
      this.#lookAgain = true;
      return;
    }
    this.#looking = this.#look().finally(() => {
      this.#looking = null;
    });
  }

  /** Resolves once nothing is being sent (tests, benches, close). */
  async idle(): Promise<void> {
    while (this.#looking || this.#lanes.size > 0) await Promise.all([this.#looking, ...[...this.#lanes.values()].map((lane) => lane.ended)]);
  }

  async #look(): Promise<void> {
    try {
      do {
        this.#lookAgain = false;
        const endpoints = await endpointsWithDue(this.ctx.db, this.ctx.now());
        for (const endpointId of endpoints) {
          if (this.#closing || this.#lanes.has(endpointId) || this.#lanes.size >= laneLimit) continue;
          const lane = new WebhookLane(this, endpointId);
          this.#lanes.set(endpointId, lane);
          void lane.ended.then(() => this.#laneEnded(endpointId));
          lane.wake();
        }
      } while (this.#lookAgain && !this.#closing);
      if (this.#lanes.size === 0) {
        await this.#prune();
        await this.#armNext();
      }
    } catch (error) {
      if (this.#closing) return;
      this.ctx.logger.error({ err: (error as Error).message }, 'webhooks: the outbox could not be read');
      this.#arm(Date.now() + afterErrorMs);
    }
  }

  /** A lane ended: an endpoint waiting for a free lane gets it; with none left, the next retry is armed. */
  #laneEnded(endpointId: string): void {
    this.#lanes.delete(endpointId);
    if (this.#closing) return;
    if (this.#looking) this.#lookAgain = true;
    else
      this.#looking = this.#look().finally(() => {
        this.#looking = null;
      });
  }

  /** Where an endpoint's deliveries go and what signs them, or why they go nowhere. */
  async target(endpointId: string): Promise<Target | { why: string }> {
    const { rows } = await this.ctx.db.query<{ url: string; enabled: boolean; deleted_at: Date | null }>('SELECT url, enabled, deleted_at FROM webhook_endpoints WHERE id = $1', [endpointId]);
    const row = rows[0];
    if (!row || row.deleted_at) return { why: 'The endpoint was deleted.' };
    if (!row.enabled) return { why: 'The endpoint is turned off.' };
    let secrets: string[] | null;
    try {
      secrets = await this.#signingSecrets(endpointId);
    } catch (error) {
      // The OS keychain (or the key file) cannot open it any more: say so rather than keep them queued for ever.
      return { why: `This device could not open the signing secret (${(error as Error).message}).` };
    }
    if (!secrets) return { why: 'This device no longer holds the signing secret.' };
    const allowPrivate = (await this.ctx.settings.get<boolean>(preferenceSetting(allowPrivatePreference))) === true;
    // Checked per batch, not per request: DNS can change, but not within the seconds a batch takes.
    const refused = await checkWebhookTarget(row.url, allowPrivate).then(
      () => null,
      (error: unknown) => (error as Error).message.replace(/^url: /, ''),
    );
    return { url: row.url, secrets, refused };
  }

  /** One attempt; never throws (a failure is the delivery's result). */
  async attempt(delivery: StoredDelivery, target: Target): Promise<AttemptResult> {
    const started = performance.now();
    if (target.refused) return this.#failed(delivery, null, null, target.refused, started);
    try {
      return await this.#send(delivery, target, started);
    } catch (error) {
      return this.#failed(delivery, null, null, (error as Error).message, started);
    }
  }

  async #send(delivery: StoredDelivery, { url, secrets }: Target, started: number): Promise<AttemptResult> {
    const timestamp = Math.floor(this.options.clock().getTime() / 1000);
    const body = delivery.request.body;
    const response = await this.options.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Groundwork-Webhooks/1', ...webhookHeaders(secrets, delivery.webhookId, timestamp, body) },
      body,
      // A redirect is an answer, not a place to follow: following one could lead anywhere (SSRF).
      redirect: 'manual',
      signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    const excerpt = await readExcerpt(response);
    if (response.status >= 200 && response.status < 300) {
      return { status: 'delivered', responseStatus: response.status, responseExcerpt: excerpt, error: null, durationMs: elapsed(started), nextAttemptAt: null };
    }
    const error = response.status >= 300 && response.status < 400 ? `The receiver redirected (${response.status}); redirects are not followed.` : `The receiver answered ${response.status}.`;
    if (response.status === 410) return { status: 'failed', responseStatus: 410, responseExcerpt: excerpt, error, durationMs: elapsed(started), nextAttemptAt: null };
    return this.#failed(delivery, response.status, excerpt, error, started);
  }

  /** A failed attempt: queued again after the back-off, or failed for good once past the retry window. */
  #failed(delivery: StoredDelivery, responseStatus: number | null, excerpt: string | null, error: string, started: number): AttemptResult {
    const next = this.options.clock().getTime() + retryDelayMs(delivery.attempt, this.options.random);
    const durationMs = elapsed(started);
    if (next > Date.parse(delivery.giveUpAt)) return { status: 'failed', responseStatus, responseExcerpt: excerpt, error, durationMs, nextAttemptAt: null };
    return { status: 'queued', responseStatus, responseExcerpt: excerpt, error, durationMs, nextAttemptAt: new Date(next).toISOString() };
  }

  /** The secrets that sign now: the current one, and the previous one during a rotation's overlap. */
  async #signingSecrets(endpointId: string): Promise<string[] | null> {
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
    const overlap = opened.previous && opened.previousUntil !== null && this.options.clock().getTime() < opened.previousUntil;
    return overlap ? [opened.current, opened.previous!] : [opened.current];
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
    const due = await nextDueAt(this.ctx.db);
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

/** The first `excerptBytes` of an answer as text; the rest is not read (a receiver may answer endlessly). */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < excerptBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, excerptBytes).toString('utf8');
}
