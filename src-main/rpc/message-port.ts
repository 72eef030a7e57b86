/**
 * Transport over an Electron MessagePortMain (the renderer ⇄ core channel main hands out). Typed
 * structurally so this file, like the rest of the core side, never imports electron.
 */
import { transportEnds, type Transport } from '../contract';
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
  let closed = false;
  const ends = transportEnds({
    send(message) {
      if (!closed) port.postMessage(message);
    },
    close() {
      finish('closed');
      port.close();
    },
  });
  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    port.off('message', onMessage);
    port.off('close', onPortClose);
    ends.end(reason);
  };
  const onMessage = ({ data }: { data: unknown }) => {
    const message = asWireMessage(data);
    if (!message) {
      log?.('closing a MessagePort that sent a malformed message');
      finish('malformed message');
      port.close();
      return;
    }
    ends.deliver(message);
  };
  // The renderer's end closes when its page reloads or its window goes away.
  const onPortClose = () => finish('port closed');

  port.on('message', onMessage);
  port.on('close', onPortClose);
  port.start();
  return ends.transport;
}
