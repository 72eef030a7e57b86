/**
 * Transport over an Electron MessagePortMain (the renderer ⇄ core channel main hands out). Typed
 * structurally so this file, like the rest of the core side, never imports electron.
 */
import type { Transport, WireMessage } from '../contract';
import { asWireMessage } from './wire-guard';

/** The part of Electron's MessagePortMain this transport uses. */
export interface MessagePortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export function messagePortTransport(port: MessagePortLike, log?: (msg: string) => void): Transport {
  const messageHandlers = new Set<(m: WireMessage) => void>();
  const closeHandlers = new Set<(reason: string) => void>();
  let closed = false;

  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    port.off('message', onMessage);
    port.off('close', onPortClose);
    for (const handler of closeHandlers) handler(reason);
    messageHandlers.clear();
    closeHandlers.clear();
  };
  const onMessage = ({ data }: { data: unknown }) => {
    const message = asWireMessage(data);
    if (!message) {
      log?.('closing a MessagePort that sent a malformed message');
      finish('malformed message');
      port.close();
      return;
    }
    for (const handler of messageHandlers) handler(message);
  };
  // The renderer's end closes when its page reloads or its window goes away.
  const onPortClose = () => finish('port closed');

  port.on('message', onMessage);
  port.on('close', onPortClose);
  port.start();

  return {
    send(message) {
      if (!closed) port.postMessage(message);
    },
    onMessage(handler) {
      messageHandlers.add(handler);
      return () => messageHandlers.delete(handler);
    },
    onClose(handler) {
      closeHandlers.add(handler);
      return () => closeHandlers.delete(handler);
    },
    close() {
      finish('closed');
      port.close();
    },
  };
}
