/**
 * The client end of the web host's API from Node (scripts, tests, benches): a `ws` socket to
 * `/api?token=…` as a contract Transport, for `connect`. The browser has its own
 * (src-renderer/api/transports.ts).
 */
import WebSocket from 'ws';
import type { Transport, WireMessage } from '../contract';

/** Opens the socket; resolves once it is open, rejects if it fails to. */
export async function openWebSocketClient(url: string): Promise<{ transport: Transport; socket: WebSocket }> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const transport: Transport = {
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage: (handler) => {
      const listener = (data: WebSocket.RawData) => handler(JSON.parse(String(data)) as WireMessage);
      socket.on('message', listener);
      return () => socket.off('message', listener);
    },
    onClose: (handler) => {
      const listener = () => handler('the web host closed the socket');
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
    close: () => socket.close(),
  };
  return { transport, socket };
}
