/**
 * The typed client: `connect(transport).api.tasks.update({...})` sends `{id, method, args}` and
 * resolves with the result or rejects with an ApiError carrying the core's code and message.
 */
import type { Api } from './api';
import { ApiError } from './errors';
import type { ApiEvents, EventName } from './events';
import { isEvent, isReply, type Transport } from './wire';

export interface Client {
  api: Api;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  close(): void;
}

export function connect(transport: Transport): Client {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

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
    } else if (isEvent(message)) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never);
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
  const api = new Proxy({} as Api, {
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
  });

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
