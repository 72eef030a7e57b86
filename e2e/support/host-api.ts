/**
 * The web host's API from the test process: the same typed client the renderer uses, over a `ws`
 * socket to `/api?token=…` (a client without an Origin still needs the token). For setting up
 * data a person would take minutes to type, such as a board of hundreds of tasks.
 */
import WebSocket from 'ws';
import { connect, type Client, type WireMessage } from '../../src-main/contract';
import type { WebHostHandle } from './web-fixtures';

export async function connectHostApi(host: WebHostHandle): Promise<Client> {
  const url = new URL(host.url);
  const socket = new WebSocket(`ws://${url.host}/api?token=${encodeURIComponent(host.token)}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return connect({
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
  });
}
