/**
 * The typed client: `connect(transport).api.tasks.update({...})` sends `{id, method, args}` and
 * resolves with the result or rejects with an ApiError carrying the core's code and message. The
 * same client, typed with `MainApi`, is how the core reaches Electron's main process.
 */
import type { Api } from './api';
import { ApiError } from './errors';
import type { ApiEvents, ChangeEvent } from './events';
import { isEvent, isReply, type Transport } from './wire';

export interface Client<A = Api, Events extends object = ApiEvents> {
  api: A;
  /**
   * Listens to an event this connection receives. Events arrive only once subscribed on the
   * serving side (`api.events.subscribe`); listening alone subscribes to nothing.
   */
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void;
  close(): void;
}

export function connect<A = Api, Events extends object = ApiEvents>(transport: Transport): Client<A, Events> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload as never);
  };

  const failAll = (reason: string) => {
    for (const { reject } of pending.values()) reject(new ApiError('UNAVAILABLE', reason));
    pending.clear();
  };

  const offMessage = transport.onMessage((message) => {
    if (isReply(message)) {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new ApiError(message.error.code, message.error.message, message.error.details));
      // What the call changed, minus what its result already carries (the caller has those fresh).
      // (Only when it changed something: a read of 10,000 tasks changes nothing.)
      const changes = message.changes ?? [];
      const carried = message.ok && changes.length > 0 ? idsCarriedBy(message.result) : new Set<string>();
      for (const change of changes) {
        emit('changed', { ...change, ids: change.ids.filter((id) => !carried.has(id)) } satisfies ChangeEvent);
      }
    } else if (isEvent(message)) {
      emit(message.event, message.payload);
    }
  });
  const offClose = transport.onClose?.((reason) => failAll(`Lost the connection to the core: ${reason}`));

  const call = (method: string, args: unknown) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      try {
        transport.send({ id, method, args: args ?? {} });
      } catch (error) {
        pending.delete(id);
        reject(new ApiError('UNAVAILABLE', `Could not reach the core: ${String(error)}`));
      }
    });

  // `api.tasks.update(x)` → call('tasks.update', x); namespaces are built lazily and cached.
  const namespaces = new Map<string, object>();
  const api = new Proxy({} as object, {
    get(_target, ns) {
      if (typeof ns !== 'string' || ns === 'then') return undefined;
      let methods = namespaces.get(ns);
      if (!methods) {
        methods = new Proxy(
          {},
          {
            get: (_t, verb) =>
              typeof verb === 'string' && verb !== 'then'
                ? (args: unknown) => call(`${ns}.${verb}`, args)
                : undefined,
          },
        );
        namespaces.set(ns, methods);
      }
      return methods;
    },
  }) as A;

  return {
    api,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    close() {
      offMessage();
      offClose?.();
      failAll('The client was closed');
      transport.close?.();
    },
  };
}

/** The ids of the entities a result is (an object with an `id`) or lists (an array of them). */
function idsCarriedBy(result: unknown): Set<string> {
  const ids = new Set<string>();
  for (const item of Array.isArray(result) ? result : [result]) {
    if (typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string') ids.add((item as { id: string }).id);
  }
  return ids;
}
