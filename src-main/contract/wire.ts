/**
 * The RPC wire format, shared by every transport (MessagePort in Electron, WebSocket in the web
 * host, in-process in tests) and by both RPCs (renderer → core, core → Electron main). Everything
 * crossing it is JSON-safe.
 */
import type { ApiErrorShape } from './errors';
import type { ChangeEvent } from './events';

export interface CallMessage {
  id: number;
  method: string;
  args: unknown;
}
export type ReplyMessage = (
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiErrorShape }
) & {
  /**
   * Change events the call itself caused, delivered with its reply instead of before it: the
   * client drops from them the ids the result already carries, so a view does not re-read what it
   * was just sent.
   */
  changes?: ChangeEvent[];
};
export interface EventMessage {
  event: string;
  payload: unknown;
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
  return 'method' in m && 'id' in m;
}
export function isReply(m: WireMessage): m is ReplyMessage {
  return 'ok' in m && 'id' in m;
}
export function isEvent(m: WireMessage): m is EventMessage {
  return 'event' in m && !('id' in m);
}

/**
 * The listener bookkeeping every transport shares. A transport supplies how to send and close,
 * then reports what its channel does: `deliver` for each message, `end` once when it is gone
 * (listeners are dropped then, so a dead channel holds nothing).
 */
export function transportEnds(io: { send(message: WireMessage): void; close(): void }): {
  transport: Transport;
  deliver(message: WireMessage): void;
  end(reason: string): void;
} {
  const messageHandlers = new Set<(message: WireMessage) => void>();
  const closeHandlers = new Set<(reason: string) => void>();
  let ended = false;
  return {
    transport: {
      send: io.send,
      close: io.close,
      onMessage(handler) {
        messageHandlers.add(handler);
        return () => messageHandlers.delete(handler);
      },
      onClose(handler) {
        closeHandlers.add(handler);
        return () => closeHandlers.delete(handler);
      },
    },
    deliver(message) {
      for (const handler of messageHandlers) handler(message);
    },
    end(reason) {
      if (ended) return;
      ended = true;
      for (const handler of closeHandlers) handler(reason);
      messageHandlers.clear();
      closeHandlers.clear();
    },
  };
}
