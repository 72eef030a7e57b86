/**
 * Transport-neutral dispatch: answers calls arriving on a transport from a handlers object, and
 * pushes the events the connection subscribed to. Used for both RPCs: renderer → core and core →
 * Electron main. Only own methods of the handlers' namespaces are callable (no prototype walking),
 * so a peer can never reach anything but the contract's methods.
 *
 * Each connection is a caller with an id: handlers receive it (`CallContext`), so a change can
 * name the call that caused it. Such a change is sent to its own connection with the call's reply
 * (`ReplyMessage.changes`), where the client drops the ids the result already carries.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ApiError, type ApiErrorShape, type ApiEvents, type ChangeEvent, type Subscription, type Transport } from '../contract';
import { isWellFormedCall } from './wire-guard';

/** Who is calling: the connection (one per renderer, socket or port) and this call's id on it. */
export interface CallContext {
  connectionId: string;
  callId: number;
  /** The connection's event subscriptions (changed by `events.subscribe` / `events.unsubscribe`). */
  subscriptions: Subscriptions;
}

export type Handler = (args: unknown, call: CallContext) => unknown;
export type Handlers = Record<string, Record<string, Handler>>;

export interface EventSource<Events extends object = ApiEvents> {
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export interface ServeOptions<Events extends object> {
  events?: EventSource<Events>;
  /** The event names `events` may emit (each is listened to once per connection). */
  eventNames?: readonly (keyof Events & string)[];
  /** Per-call log lines (method, duration, outcome) at debug level. */
  log?: { debug(obj: object, msg?: string): void };
  /** Told when the connection is stopped (its socket or port closed): what it held can go. */
  onEnd?(connectionId: string): void;
}

/** A connection's subscriptions: which events, for which workspace (or all). */
export class Subscriptions {
  private readonly entries = new Map<string, Subscription<string>>();

  add(subscription: Subscription<string>): Subscription<string>[] {
    this.entries.set(keyOf(subscription), { event: subscription.event, workspaceId: subscription.workspaceId ?? null });
    return this.list();
  }

  remove(subscription: Subscription<string>): Subscription<string>[] {
    this.entries.delete(keyOf(subscription));
    return this.list();
  }

  list(): Subscription<string>[] {
    return [...this.entries.values()];
  }

  /** An event with a workspace goes to subscribers of that workspace or of all; one without, to every subscriber of its name. */
  matches(event: string, payload: unknown): boolean {
    if (this.entries.has(keyOf({ event }))) return true;
    const workspaceId = (payload as { workspaceId?: unknown } | null)?.workspaceId;
    if (typeof workspaceId !== 'string') return [...this.entries.values()].some((s) => s.event === event);
    return this.entries.has(keyOf({ event, workspaceId }));
  }
}

const keyOf = (s: Subscription<string>) => `${s.event}\u0000${s.workspaceId ?? '*'}`;

/** The `events` namespace every served contract has: subscriptions belong to the calling connection. */
export function subscriptionHandlers<E extends string>(): Record<'subscribe' | 'unsubscribe', (input: Subscription<E>, call: CallContext) => Promise<Subscription<E>[]>> {
  return {
    subscribe: async (input, call) => call.subscriptions.add(input) as Subscription<E>[],
    unsubscribe: async (input, call) => call.subscriptions.remove(input) as Subscription<E>[],
  };
}

/** The caller of in-process calls (tests, tools): a connection of its own whose subscriptions nothing reads. */
export function inProcessCaller(): CallContext {
  return { connectionId: 'in-process', callId: 0, subscriptions: new Subscriptions() };
}

export function serve<Events extends object = ApiEvents>(handlers: Handlers, transport: Transport, options: ServeOptions<Events> = {}): () => void {
  const connectionId = randomUUID();
  const subscriptions = new Subscriptions();
  /** Calls being answered, with the changes they caused so far (sent with their reply). */
  const inFlight = new Map<number, ChangeEvent[]>();
  const { log } = options;

  const offMessage = transport.onMessage(async (message) => {
    // A call needs an id (its reply names it); anything else is never executed.
    if (!isWellFormedCall(message)) return;
    const started = performance.now();
    const changes: ChangeEvent[] = [];
    inFlight.set(message.id, changes);
    try {
      const result = await dispatch(handlers, message.method, message.args, { connectionId, callId: message.id, subscriptions });
      inFlight.delete(message.id);
      transport.send({ id: message.id, ok: true, result: result ?? null, ...(changes.length > 0 ? { changes } : {}) });
      log?.debug({ method: message.method, ms: round(performance.now() - started), ok: true }, 'rpc call');
    } catch (error) {
      inFlight.delete(message.id);
      const shape = toErrorShape(error);
      transport.send({ id: message.id, ok: false, error: shape, ...(changes.length > 0 ? { changes } : {}) });
      log?.debug({ method: message.method, ms: round(performance.now() - started), ok: false, code: shape.code, err: error }, 'rpc call failed');
    }
  });

  const offEvents = (options.eventNames ?? []).map((event) =>
    options.events?.on(event, (payload) => {
      if (!subscriptions.matches(event, payload)) return;
      const cause = event === 'changed' ? (payload as ChangeEvent).cause : undefined;
      const ownCall = cause?.connectionId === connectionId ? inFlight.get(cause.callId) : undefined;
      if (ownCall) ownCall.push(payload as ChangeEvent);
      else transport.send({ event, payload });
    }),
  );
  return () => {
    offMessage();
    offEvents.forEach((off) => off?.());
    options.onEnd?.(connectionId);
  };
}

function dispatch(handlers: Handlers, method: unknown, args: unknown, call: CallContext): unknown {
  if (typeof method !== 'string') throw new ApiError('VALIDATION', 'method must be a string like "tasks.update"');
  const [ns, verb, extra] = method.split('.');
  const namespace = ns && Object.hasOwn(handlers, ns) ? handlers[ns] : undefined;
  const handler = namespace && verb && extra === undefined && Object.hasOwn(namespace, verb) ? namespace[verb] : undefined;
  if (typeof handler !== 'function') throw new ApiError('NOT_FOUND', `Unknown method "${method}"`);
  return handler(args, call);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Errors leave as their code and message; anything unexpected is INTERNAL without a stack trace. */
export function toErrorShape(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toJSON();
  return { code: 'INTERNAL', message: 'Something went wrong inside Groundwork; the change was not saved.' };
}
