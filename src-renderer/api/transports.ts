/**
 * The two ways the renderer reaches the core: a MessagePort handed over by the Electron preload,
 * or a WebSocket to the web host. Both produce a contract `Transport`; the client on top is the same.
 */
import { transportEnds, type Transport, type WireMessage } from '../../src-main/contract';

const TOKEN_KEY = 'groundwork:token';

/** The web host's token arrives once as `?token=`; keep it so in-app URL changes and reloads keep working. */
export function webToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/**
 * Whether the web host is up and refuses this tab's token (a browser never sees why a socket was
 * refused, so the host answers a plain GET of the same address with the upgrade's verdict).
 * False when the host cannot be reached: then it is away, and reconnecting is right.
 */
export async function webTokenIsRefused(): Promise<boolean> {
  try {
    const res = await fetch(`/api?token=${encodeURIComponent(webToken())}`, { cache: 'no-store' });
    return res.status === 401;
  } catch {
    return false;
  }
}

/** Resolves once the socket is open; rejects if it fails to open. */
export function openWebSocketTransport(): Promise<Transport> {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/api?token=${encodeURIComponent(webToken())}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const ends = transportEnds({
      send(message) {
        if (socket.readyState !== WebSocket.OPEN) throw new Error('the socket is not open');
        socket.send(JSON.stringify(message));
      },
      close: () => socket.close(),
    });
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      resolve(ends.transport);
    });
    socket.addEventListener('message', (event) => {
      let message: WireMessage;
      try {
        message = JSON.parse(String(event.data)) as WireMessage;
      } catch {
        return; // a garbled frame is dropped, not fatal
      }
      ends.deliver(message);
    });
    socket.addEventListener('close', (event) => {
      if (!opened) reject(new Error(`could not open ${scheme}://${location.host}/api (code ${event.code})`));
      ends.end(event.reason || `socket closed (code ${event.code})`);
    });
  });
}

/** Electron: the preload forwards the core's port with a window message `'groundwork:port'`. */
export function waitForDesktopPort(): Promise<Transport> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      // The preload posts exactly this string with the port attached; anything else is ignored.
      if (event.data !== 'groundwork:port' || !event.ports[0]) return;
      window.removeEventListener('message', onMessage);
      const port = event.ports[0];
      const ends = transportEnds({ send: (message) => port.postMessage(message), close: () => port.close() });
      port.onmessage = (e: MessageEvent) => ends.deliver(e.data as WireMessage);
      // `close` on MessagePort exists in Chromium (Electron) and fires when the core goes away.
      port.addEventListener('close', () => ends.end('the core process went away'));
      port.start();
      resolve(ends.transport);
    };
    window.addEventListener('message', onMessage);
  });
}
