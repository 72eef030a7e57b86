/**
 * The preload: connects the page to the core and passes on invite links; nothing else (DESIGN.md). Under
 * contextIsolation a MessagePort cannot cross contextBridge, so it is transferred with
 * window.postMessage — Electron's documented pattern.
 *
 * When to ask for the port: the page asks by posting 'groundwork:connect' once its listener is in
 * place (so no port is posted into the void, and a reconnecting page can ask again). Pages that
 * never ask get one port when the window has loaded.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeChannels, bridgeMessages, type Bridge } from './bridge';

/** The window, typed for just what is used here (the node-side tsconfig has no DOM library). */
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'load', listener: () => void, options: { once: true }): void;
}
const page = globalThis as unknown as PageWindow;

// Invites: main sends each one here; the page gets only the string (never the IPC event, which
// would hand it ipcRenderer). One that arrives before the page subscribes waits for it.
const inviteCallbacks = new Set<(invite: string) => void>();
let unclaimedInvite: string | null = null;
ipcRenderer.on(bridgeChannels.invite, (_event, invite: unknown) => {
  if (typeof invite !== 'string' || !invite.startsWith('groundwork://join?')) return;
  if (inviteCallbacks.size === 0) unclaimedInvite = invite;
  for (const callback of inviteCallbacks) callback(invite);
});

const bridge = {
  platform: process.platform,
  isDesktop: true,
  onInvite(callback) {
    if (typeof callback !== 'function') throw new TypeError('onInvite needs a function');
    inviteCallbacks.add(callback);
    if (unclaimedInvite !== null) {
      const invite = unclaimedInvite;
      unclaimedInvite = null;
      callback(invite);
    }
    return () => void inviteCallbacks.delete(callback);
  },
} satisfies Bridge;
contextBridge.exposeInMainWorld('groundwork', bridge);

let asked = false;
const askForPort = () => {
  asked = true;
  ipcRenderer.send(bridgeMessages.connectRequest);
};

ipcRenderer.on(bridgeMessages.portMessage, (event) => {
  // '*' is safe: this posts to the very window the preload runs in, which cannot navigate away.
  page.postMessage(bridgeMessages.portMessage, '*', event.ports);
});
// Not filtered by event.source: whoever asks, main sends the port only to this window's main
// frame (the ipc sender), after checking that frame.
page.addEventListener('message', (event) => {
  if (event.data === bridgeMessages.connectRequest) askForPort();
});
page.addEventListener('load', () => (asked ? undefined : askForPort()), { once: true });
