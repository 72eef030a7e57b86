/**
 * Sends the outbox (README.md "Delivery"). One drain at a time takes the due deliveries in batches,
 * marks each `sending` in its own committed write BEFORE its request goes out (webhooks.repo.ts
 * `claimDelivery`), sends a few at once, and records the answer. A crash between the mark and the
 * answer leaves it `sending`; the next start queues it again and it is sent again with the SAME
 * `webhook-id`: delivery is at least once, and receivers dedupe by that id.
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
import {
  claimDelivery,
  dueDeliveries,
  failQueued,
  finishAttempt,
  nextDueAt,
  pruneEnded,
  publicDelivery,
  readSealedSecrets,
  requeueInterrupted,
  type AttemptResult,
  type StoredDelivery,
} from './webhooks.repo';

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

/** Endpoints sent to at once (one request at a time per endpoint). */
const concurrency = 8;
const batchSize = 64;

export interface SenderOptions {
  fetch: typeof fetch;
  timers: Timers;
  clock: () => Date;
  sealer: SecretSealer;
  emit(event: WebhookEvent): void;
  random?: () => number;
}

/** An endpoint as one batch sends to it. */
interface Target {
  url: string;
  /** The secrets that sign (the previous one too during a rotation's overlap). */
  secrets: string[];
}

interface OpenedSecrets {
  sealedSecret: string;
  sealedPrevious: string | null;
  current: string;
  previous: string | null;
  previousUntil: number | null;
}

export class WebhookSender {
  #timer: { at: number; handle: TimerHandle } | null = null;
  #draining: Promise<void> | null = null;
  /** Deliveries became due while a drain ran: it goes round once more. */
  #again = false;
  #closing = false;
  #prunedAt = 0;
  readonly #abort = new AbortController();
  /** Opened secrets by endpoint (memory only), re-opened when the sealed text changes (a rotation). */
  readonly #secrets = new Map<string, OpenedSecrets>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SenderOptions,
  ) {}

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
    await this.#draining?.catch(() => {});
  }

  /** Something was queued: send what is due now (a drain under way goes round again). */
  kick(): void {
    if (this.#closing) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
    });
  }

  /** Resolves once no drain runs (tests, benches). */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining.catch(() => {});
  }

  async #drain(): Promise<void> {
    try {
      do {
        this.#again = false;
        for (;;) {
          if (this.#closing) return;
          const due = await dueDeliveries(this.ctx.db, this.ctx.now(), batchSize);
          if (due.length === 0) break;
          // Endpoints in parallel, each endpoint's deliveries one after the other in the order they
          // fell due: a receiver sees a task created before it sees it moved (retries aside).
          const byEndpoint = new Map<string, string[]>();
          for (const { id, endpointId } of due) byEndpoint.set(endpointId, [...(byEndpoint.get(endpointId) ?? []), id]);
          const allowPrivate = (await this.ctx.settings.get<boolean>(preferenceSetting(allowPrivatePreference))) === true;
          await runLimited([...byEndpoint], concurrency, async ([endpointId, ids]) => {
            // Read once per endpoint and batch: where it goes and what signs (a change meanwhile applies to the next batch).
            const target = await this.#target(endpointId);
            for (const id of ids) await this.#attempt(id, target, allowPrivate);
          });
        }
      } while (this.#again);
      await this.#prune();
      await this.#armNext();
    } catch (error) {
      if (!this.#closing) this.ctx.logger.error({ err: (error as Error).message }, 'webhooks: the outbox could not be sent');
    }
  }

  /** One attempt of one delivery; never throws (a failure is the delivery's state). */
  async #attempt(id: string, target: Target | null, allowPrivate: boolean): Promise<void> {
    if (!target) return;
    const claimed = await claimDelivery(this.ctx.db, id, target.url, this.ctx.now());
    if (!claimed) return; // not queued any more (redelivered and sent, or failed when the endpoint went off)
    this.#emit(claimed);
    const started = performance.now();
    let result: AttemptResult;
    try {
      result = await this.#send(claimed, target, allowPrivate, started);
    } catch (error) {
      if (this.#closing) return; // left `sending`: the next start sends it again
      result = this.#failed(claimed, null, null, (error as Error).message, started);
    }
    await finishAttempt(this.ctx.db, id, result, this.ctx.now());
    this.#emit({
      ...claimed,
      status: result.status,
      responseStatus: result.responseStatus,
      responseExcerpt: result.responseExcerpt,
      error: result.error,
      durationMs: result.durationMs,
      nextAttemptAt: result.nextAttemptAt,
      deliveredAt: result.status === 'delivered' ? this.ctx.now() : claimed.deliveredAt,
    });
    if (result.responseStatus === 410) await this.#disable(claimed, `${target.url} answered 410 Gone: the receiver asked to stop.`);
    else if (result.status === 'failed') await this.#disable(claimed, `Deliveries to ${target.url} failed for 3 days (last: ${result.error}).`);
  }

  /** Where an endpoint's deliveries go and what signs them; null (its queue failed, no request) when it is gone, off, or its secret is not here. */
  async #target(endpointId: string): Promise<Target | null> {
    const { rows } = await this.ctx.db.query<{ url: string; enabled: boolean; deleted_at: Date | null }>('SELECT url, enabled, deleted_at FROM webhook_endpoints WHERE id = $1', [endpointId]);
    const row = rows[0];
    const why = !row || row.deleted_at ? 'The endpoint was deleted.' : !row.enabled ? 'The endpoint is turned off.' : null;
    const secrets = why ? null : await this.#signingSecrets(endpointId);
    if (why || !secrets) {
      await failQueued(this.ctx.db, endpointId, why ?? 'This device no longer holds the signing secret.');
      return null;
    }
    return { url: row!.url, secrets };
  }

  async #send(delivery: StoredDelivery, { url, secrets }: Target, allowPrivate: boolean, started: number): Promise<AttemptResult> {
    try {
      await checkWebhookTarget(url, allowPrivate);
    } catch (error) {
      return this.#failed(delivery, null, null, (error as Error).message.replace(/^url: /, ''), started);
    }
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
  async #disable(delivery: StoredDelivery, reason: string): Promise<void> {
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
    if (!due || this.#closing) return;
    const at = due.getTime();
    if (this.#timer && this.#timer.at <= at) return;
    this.#timer?.handle.cancel();
    this.#timer = {
      at,
      handle: this.options.timers.at(due, () => {
        if (this.#timer?.at === at) this.#timer = null;
        this.kick();
      }),
    };
  }

  #emit(delivery: StoredDelivery) {
    const shown = publicDelivery(delivery);
    this.options.emit({ workspaceId: shown.workspaceId, endpointId: shown.endpointId, delivery: shown });
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

/** Runs `work` over `items`, at most `limit` at once. */
async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
