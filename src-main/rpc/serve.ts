/**
 * Transport-neutral dispatch: answers calls arriving on a transport from an api object, and pushes
 * events to it. Only own methods of the api's namespaces are callable (no prototype walking), so a
 * peer can never reach anything but the contract's methods.
 */
import { ApiError, eventNames, isCall, type ApiErrorShape, type ApiEvents, type EventName, type Transport } from '../contract';

export type Handlers = Record<string, Record<string, (args: unknown) => unknown>>;

export interface EventSource {
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export function serve(handlers: Handlers, transport: Transport, events?: EventSource): () => void {
  const offMessage = transport.onMessage(async (message) => {
    if (!isCall(message)) return;
    try {
      const result = await dispatch(handlers, message.method, message.args);
      transport.send({ id: message.id, ok: true, result: result ?? null });
    } catch (error) {
      transport.send({ id: message.id, ok: false, error: toErrorShape(error) });
    }
  });
  const offEvents = eventNames.map((event) => events?.on(event, (payload) => transport.send({ event, payload })));
  return () => {
    offMessage();
    offEvents.forEach((off) => off?.());
  };
}

function dispatch(handlers: Handlers, method: unknown, args: unknown): unknown {
  if (typeof method !== 'string') throw new ApiError('VALIDATION', 'method must be a string like "tasks.update"');
  const [ns, verb, extra] = method.split('.');
  const namespace = ns && Object.hasOwn(handlers, ns) ? handlers[ns] : undefined;
  const handler = namespace && verb && extra === undefined && Object.hasOwn(namespace, verb) ? namespace[verb] : undefined;
  if (typeof handler !== 'function') throw new ApiError('NOT_FOUND', `Unknown method "${method}"`);
  return handler(args);
}

/** Errors leave as their code and message; anything unexpected is INTERNAL without a stack trace. */
export function toErrorShape(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toJSON();
  return { code: 'INTERNAL', message: 'Something went wrong inside Groundwork; the change was not saved.' };
}
