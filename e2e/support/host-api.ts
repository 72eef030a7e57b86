/**
 * The web host's API from the test process: the same typed client the renderer uses, over a `ws`
 * socket to `/api?token=…` (a client without an Origin still needs the token). For setting up
 * data a person would take minutes to type, such as a board of hundreds of tasks.
 */
import { connect, type Client } from '../../src-main/contract';
import { openWebSocketClient } from '../../src-main/rpc/websocket-client';
import type { WebHostHandle } from './web-fixtures';

export async function connectHostApi(host: WebHostHandle): Promise<Client> {
  const url = new URL(host.url);
  const { transport } = await openWebSocketClient(`ws://${url.host}/api?token=${encodeURIComponent(host.token)}`);
  return connect(transport);
}
