/**
 * The RPC wire format, shared by every transport (MessagePort in Electron, WebSocket in the web
 * host, in-process in tests). Everything crossing it is JSON-safe.
 */
import type { ApiErrorShape } from './errors';
import type { ApiEvents, EventName } from './events';

export interface CallMessage {
  id: number;
  method: string;
  args: unknown;
}
export type ReplyMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiErrorShape };
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: ApiEvents[E];
}
export type WireMessage = CallMessage | ReplyMessage | EventMessage;

/** One end of a message channel. `onMessage` returns an unsubscribe function. */
export interface Transport {
  send(message: WireMessage): void;
  onMessage(handler: (message: WireMessage) => void): () => void;
  /** Called with a reason when the channel is gone for good (socket closed, port closed). */
  onClose?(handler: (reason: string) => void): () => void;
  close?(): void;
}

export function isCall(m: WireMessage): m is CallMessage {
  return 'method' in m;
}
export function isReply(m: WireMessage): m is ReplyMessage {
  return 'ok' in m && 'id' in m;
}
export function isEvent(m: WireMessage): m is EventMessage {
  return 'event' in m;
}
