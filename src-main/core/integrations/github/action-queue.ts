/**
 * The offline queue of GitHub actions (README.md "Actions and their queue"): every action is
 * stored first (`github_actions`, local), tried once at once, and retried with a capped back-off
 * by a timer of the core's `Timers` port while the core runs, or on `retryQueued`.
 *
 * Exactly once: an attempt marks the row `sending` in its own committed write BEFORE its request
 * goes out. A request whose answer never arrived (the app closed or crashed, the connection broke,
 * GitHub answered 5xx) leaves the action `effectUnknown`, and the next attempt first asks GitHub
 * whether the effect is there (actions-send.ts `findEffect`) and only sends when it is not.
 */
import { ApiError, type GithubAction, type GithubActionState } from '../../../contract';
import type { TimerHandle, Timers } from '../../jobs/timers';
import { localOrigin } from '../../sync/origins';
import { ownMemberKey } from '../../workspaces/workspaces.api';
import {
  cancelAction,
  claimAction,
  deferAction,
  dueActions,
  finishAction,
  getAction,
  insertAction,
  nextDue,
  publicAction,
  requeueInterrupted,
  setPrepared,
  type NewAction,
  type Outcome,
  type StoredAction,
} from './action-queue.repo';
import { actionKinds, type ActionResult, type SendContext } from './actions-send';
import type { GithubSession } from './github-session';
import { githubError } from './octokit-errors';
import { writeTaskLinks } from './task-links-doc';

/** First retry after this long, doubling per attempt… */
export const firstRetryMs = 15_000;
/** …up to this: an action waiting through a day offline is tried every quarter hour, never given up. */
export const maxRetryMs = 15 * 60_000;

export const retryDelayMs = (attempts: number) => Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), maxRetryMs);

/** Network failures where the request cannot have reached GitHub (nothing was connected). */
const notConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

function neverReachedGithub(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && notConnectedCodes.has(code)) return true;
  }
  return false;
}

const closingError = () =>
  new ApiError('UNAVAILABLE', 'The app closed while this GitHub action was being sent; it is checked with GitHub and finished when the app starts again.');

export class ActionQueue {
  /** The attempt under way per action: a second caller shares it, so one action is never sent twice at once. */
  readonly #inFlight = new Map<string, Promise<StoredAction>>();
  readonly #abort = new AbortController();
  #timer: { at: number; handle: TimerHandle } | null = null;
  #draining: Promise<void> | null = null;
  #closing = false;

  constructor(
    private readonly session: GithubSession,
    private readonly timers: Timers,
  ) {}

  private get db() {
    return this.session.ctx.db;
  }

  private get now() {
    return this.session.ctx.now();
  }

  /** Stores the action, tries it once, and returns it as that attempt left it. */
  async submit(action: NewAction): Promise<GithubAction> {
    const stored = await insertAction(this.db, action, this.now);
    this.#emit(stored);
    return publicAction(await this.#attempt(stored.id, ['queued'], false));
  }

  /** Sends a queued or failed action now (CONFLICT otherwise). */
  async retry(id: string): Promise<GithubAction> {
    return publicAction(await this.#attempt(id, ['queued', 'failed'], true));
  }

  async cancel(id: string): Promise<GithubAction> {
    const cancelled = await cancelAction(this.db, id, this.now);
    if (!cancelled) {
      const action = await getAction(this.db, id);
      const why = action.state === 'cancelled' ? 'it is already cancelled' : action.state === 'done' ? 'GitHub already has it: undo it on GitHub' : 'it is being sent now: wait for GitHub to answer';
      throw new ApiError('CONFLICT', `id: this GitHub action cannot be cancelled: ${why}.`, { field: 'id', state: action.state });
    }
    this.#emit(cancelled);
    return publicAction(cancelled);
  }

  /** At core start: actions left `sending` go back to the queue (checked before any resend), and the timer is armed. */
  async start(): Promise<void> {
    for (const action of await requeueInterrupted(this.db, this.now)) this.#emit(action);
    await this.#armNext();
  }

  /** Stops the timer and aborts requests under way (their actions stay `sending`: the next start checks them). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#timer?.handle.cancel();
    this.#timer = null;
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight.values(), this.#draining]);
  }

  #emit(action: StoredAction) {
    this.session.deps.emit({ workspaceId: action.workspaceId, kind: 'action', action: publicAction(action) });
  }

  #attempt(id: string, from: readonly GithubActionState[], explicit: boolean): Promise<StoredAction> {
    const running = this.#inFlight.get(id);
    if (running) return running;
    const attempt = this.#run(id, from, explicit).finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, attempt);
    return attempt;
  }

  async #run(id: string, from: readonly GithubActionState[], explicit: boolean): Promise<StoredAction> {
    if (this.#closing) throw closingError();
    const action = await getAction(this.db, id);
    if (!from.includes(action.state)) return this.#notSendable(action, explicit);
    // The timer's list is read before earlier attempts of it end: one put off meanwhile waits its turn.
    if (!explicit && action.nextAttemptAt && Date.parse(action.nextAttemptAt) > Date.parse(this.now)) return action;
    try {
      this.session.requireWriter(action.workspaceId, 'send GitHub actions');
    } catch (error) {
      return this.#defer(action, { state: 'failed', error: (error as Error).message, effectUnknown: action.effectUnknown });
    }
    let client;
    try {
      client = await this.session.connectedClient();
    } catch (error) {
      // Not connected (or the token cannot be opened): kept, and tried again once it may be.
      return this.#defer(action, this.#queuedAgain(action.attempts + 1, (error as Error).message, action.effectUnknown));
    }
    // The committed mark that a request may go out: from here on, a crash leaves it `sending`.
    const claimed = await claimAction(this.db, id, from, client.login, this.now);
    if (!claimed) return this.#notSendable(await getAction(this.db, id), explicit);
    this.#emit(claimed);

    const kind = actionKinds[claimed.kind];
    const github: SendContext = { octokit: client.octokit, baseUrl: client.connection.baseUrl, signal: this.#abort.signal };
    let effectUnknown = claimed.effectUnknown;
    let sent = false;
    let outcome: Outcome;
    try {
      let result: ActionResult | null = effectUnknown ? await kind.findEffect(github, claimed) : null;
      effectUnknown = false;
      if (!result) {
        let prepared = claimed.prepared;
        if (kind.prepare) {
          prepared = await kind.prepare(github, claimed);
          await setPrepared(this.db, id, prepared);
        }
        sent = true;
        result = await kind.send(github, { ...claimed, prepared }, prepared);
      }
      outcome = { state: 'done', result, error: await this.#afterDone(claimed, result) };
    } catch (error) {
      if (this.#closing) throw closingError();
      outcome = this.#failure(claimed, error, kind.doing(claimed), github.baseUrl, { stillUnknown: effectUnknown, maybeLanded: sent && !neverReachedGithub(error) });
    }
    const finished = await finishAction(this.db, id, outcome, this.now);
    this.#emit(finished);
    if (finished.state === 'queued') await this.#armNext();
    return finished;
  }

  #notSendable(action: StoredAction, explicit: boolean): StoredAction {
    if (!explicit) return action;
    const why: Record<GithubActionState, string> = {
      done: 'GitHub already has it',
      cancelled: 'it was cancelled: take the action again instead',
      sending: 'it is being sent now',
      queued: '',
      failed: '',
    };
    throw new ApiError('CONFLICT', `id: this GitHub action cannot be sent again: ${why[action.state]}.`, { field: 'id', state: action.state });
  }

  async #defer(action: StoredAction, outcome: Exclude<Outcome, { state: 'done' }>): Promise<StoredAction> {
    const deferred = (await deferAction(this.db, action.id, outcome, this.now)) ?? (await getAction(this.db, action.id));
    this.#emit(deferred);
    if (deferred.state === 'queued') await this.#armNext();
    return deferred;
  }

  #queuedAgain(attempts: number, error: string, effectUnknown: boolean, notBefore?: number): Outcome & { state: 'queued' } {
    const now = new Date(this.now).getTime();
    const at = Math.max(now + retryDelayMs(attempts), notBefore ?? 0);
    return { state: 'queued', error, nextAttemptAt: new Date(at).toISOString(), effectUnknown };
  }

  /**
   * How a failed attempt ends. A refusal (4xx: bad input, no permission, a token GitHub no longer
   * accepts) is final until the person retries; GitHub out of reach, failing (5xx) or rate-limiting
   * is retried later (a rate limit not before it resets).
   */
  #failure(action: StoredAction, error: unknown, doing: string, baseUrl: string, effect: { stillUnknown: boolean; maybeLanded: boolean }): Outcome {
    const apiError = githubError(error, doing, { baseUrl });
    const details = (apiError.details ?? {}) as { status?: number | null; resetAt?: string | null; retryAfterSeconds?: number };
    const status = typeof details.status === 'number' ? details.status : null;
    // Out of reach mid-request, or a 5xx (a gateway timeout may come after GitHub did it): check before resending.
    if (status === null || status >= 500) return this.#queuedAgain(action.attempts, apiError.message, effect.stillUnknown || effect.maybeLanded);
    if (details.retryAfterSeconds !== undefined || details.resetAt !== undefined) {
      // A rate-limited request was refused before GitHub did anything; tried again once the limit allows.
      const notBefore = details.resetAt ? Date.parse(details.resetAt) : new Date(this.now).getTime() + (details.retryAfterSeconds ?? 0) * 1000;
      return this.#queuedAgain(action.attempts, apiError.message, effect.stillUnknown, notBefore);
    }
    // A refusal of the request itself did nothing; a refused effect check leaves the question open.
    return { state: 'failed', error: apiError.message, effectUnknown: effect.stillUnknown };
  }

  /** An issue made from a task is linked back to it (the task lists it) before the action is done. */
  async #afterDone(action: StoredAction, result: ActionResult): Promise<string | null> {
    if (action.kind !== 'issue' || !action.taskId || result.number === undefined) return null;
    const { ctx } = this.session;
    try {
      const place = await ctx.places.task(action.taskId);
      const memberId = (await ctx.settings.get<string>(ownMemberKey(place.workspaceId))) ?? null;
      const link = { taskId: action.taskId, repo: action.repo, kind: 'issue' as const, ref: String(result.number), title: String(action.input.title), url: result.url ?? '', state: 'open' };
      await ctx.mutate(place.workspaceId, () => writeTaskLinks(ctx, place.workspaceId, place.projectId, localOrigin(memberId), [link]));
      return null;
    } catch (error) {
      // GitHub has the issue: the action is done; only the link back is missing (the sync finds it by the key in its body).
      ctx.logger.warn({ err: (error as Error).message, actionId: action.id }, 'could not link a created GitHub issue to its task');
      return `The issue was created, but could not be linked to its task here (${(error as Error).message}); a sync of the repo links it by the task key in its text.`;
    }
  }

  /** Arms the timer for the earliest queued action (one timer for all workspaces). */
  async #armNext(): Promise<void> {
    if (this.#closing) return;
    const due = await nextDue(this.db);
    if (!due || this.#closing) return;
    if (this.#timer && this.#timer.at <= due.getTime()) return;
    this.#timer?.handle.cancel();
    const at = due.getTime();
    this.#timer = {
      at,
      handle: this.timers.at(due, () => {
        if (this.#timer?.at === at) this.#timer = null;
        this.#draining ??= this.#drain().finally(() => {
          this.#draining = null;
        });
      }),
    };
  }

  /** Sends every due action, one at a time in the order they fell due, then arms for the next. */
  async #drain(): Promise<void> {
    try {
      for (const id of await dueActions(this.db, this.now)) {
        if (this.#closing) return;
        await this.#attempt(id, ['queued'], false).catch((error: unknown) => {
          if (!this.#closing) this.session.ctx.logger.warn({ err: (error as Error).message, actionId: id }, 'GitHub action attempt failed');
        });
      }
      await this.#armNext();
    } catch (error) {
      if (!this.#closing) this.session.ctx.logger.error({ err: (error as Error).message }, 'GitHub action queue could not drain');
    }
  }
}
