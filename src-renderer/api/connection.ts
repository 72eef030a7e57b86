/**
 * One long-lived connection to the core. The contract client is bound to a single transport, so
 * when the web socket drops we build a new client on a new socket (with back-off) and let the app
 * re-read its state: change events sent while we were away are lost, so a full refresh is the
 * only way to be sure the views are current.
 *
 * Events come by subscription: this window subscribes to the current workspace's changes, sync
 * status, presence and job executions (machine-wide changes, like the workspace list, come with them) and to
 * notifications — again on every new connection, and anew when the workspace changes.
 */
import { ApiError, connect, type Api, type ApiEvents, type ChangeEvent, type Client, type EventName, type Subscription } from '../../src-main/contract';
import { openWebSocketTransport, waitForDesktopPort, webTokenIsRefused } from './transports';

/** `unauthorized`: the web host is up but refuses this tab's token — retrying cannot help. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'unauthorized';

type Listener<T> = (value: T) => void;

const statusListeners = new Set<Listener<ConnectionStatus>>();
const eventListeners: { [E in EventName]: Set<Listener<ApiEvents[E]>> } = {
  changed: new Set(),
  sync: new Set(),
  presence: new Set(),
  notification: new Set(),
  jobs: new Set(),
  github: new Set(),
  webhooks: new Set(),
  vercel: new Set(),
};

/** The workspace whose events this window wants; null before one is chosen (then all of them). */
let followed: string | null = null;

function subscriptionsFor(workspaceId: string | null): Subscription[] {
  return [
    ...(['changed', 'sync', 'presence', 'jobs', 'github', 'webhooks', 'vercel'] as const).map((event) => ({ event, workspaceId })),
    { event: 'notification', workspaceId: null },
  ];
}

function subscribe(target: Client, subscriptions: Subscription[], verb: 'subscribe' | 'unsubscribe' = 'subscribe'): Promise<void> {
  return Promise.all(subscriptions.map((s) => target.api.events[verb](s))).then(() => undefined);
}

/** Receive the events of this workspace from now on (and no longer those of the one before). */
export function followWorkspace(workspaceId: string | null): void {
  if (workspaceId === followed) return;
  const before = followed;
  followed = workspaceId;
  if (!client) return; // subscribed on connecting
  const current = client;
  void subscribe(current, subscriptionsFor(workspaceId))
    .then(() => subscribe(current, subscriptionsFor(before).filter((s) => s.event !== 'notification'), 'unsubscribe'))
    .catch(() => undefined); // a dropped connection subscribes afresh on reconnecting
}
const reconnectListeners = new Set<() => void>();

let client: Client | null = null;
let status: ConnectionStatus = 'connecting';
let started = false;

function setStatus(next: ConnectionStatus) {
  status = next;
  for (const listener of statusListeners) listener(next);
}

/** The typed API. Calls made while offline fail fast with UNAVAILABLE instead of hanging. */
export const api: Api = new Proxy({} as Api, {
  get(_target, ns) {
    if (typeof ns !== 'string') return undefined;
    return new Proxy(
      {},
      {
        get: (_t, verb) =>
          typeof verb !== 'string'
            ? undefined
            : (args: unknown) => {
                if (!client) return Promise.reject(new ApiError('UNAVAILABLE', 'Groundwork is offline from its core; retrying…'));
                const namespace = client.api[ns as keyof Api] as unknown as Record<string, (a: unknown) => Promise<unknown>>;
                return namespace[verb]!(args);
              },
      },
    );
  },
});

export function getStatus(): ConnectionStatus {
  return status;
}
export function onStatus(listener: Listener<ConnectionStatus>): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}
/** Subscribes to a core event; survives reconnects (each new client is wired to the same listeners). */
export function onEvent<E extends EventName>(event: E, listener: Listener<ApiEvents[E]>): () => void {
  const set = eventListeners[event] as Set<Listener<ApiEvents[E]>>;
  set.add(listener);
  return () => set.delete(listener);
}
export function onChanged(listener: Listener<ChangeEvent>): () => void {
  return onEvent('changed', listener);
}
/** Fires after a dropped connection comes back (not on the first connect). */
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Connects once; resolves when the first connection is up. */
export function startConnection(): Promise<void> {
  if (started) return Promise.resolve();
  started = true;
  if (window.groundwork?.isDesktop) {
    return waitForDesktopPort().then((transport) => {
      adopt(connect(transport), false);
      transport.onClose?.(() => setStatus('offline'));
    });
  }
  return new Promise((resolveFirst) => {
    let attempt = 0;
    let everConnected = false;
    const tryOpen = () => {
      openWebSocketTransport().then(
        (transport) => {
          attempt = 0;
          const fresh = connect(transport);
          transport.onClose?.(() => {
            if (client === fresh) client = null;
            setStatus('offline');
            schedule();
          });
          adopt(fresh, everConnected);
          everConnected = true;
          resolveFirst();
        },
        async () => {
          // A restarted host keeps its token, so a refusal means this tab's token is not (or no
          // longer) one this Groundwork knows: say so instead of retrying forever.
          if (await webTokenIsRefused()) return setStatus('unauthorized');
          setStatus('offline');
          schedule();
        },
      );
    };
    // Back-off: 0.25 s doubling to 5 s, so a restarting host is picked up quickly without spinning.
    const schedule = () => {
      const delay = Math.min(5000, 250 * 2 ** attempt++);
      setTimeout(tryOpen, delay);
    };
    tryOpen();
  });
}

function adopt(next: Client, isReconnect: boolean) {
  client = next;
  for (const name of Object.keys(eventListeners) as EventName[]) {
    next.on(name, (payload) => {
      for (const listener of eventListeners[name] as Set<Listener<typeof payload>>) listener(payload);
    });
  }
  void subscribe(next, subscriptionsFor(followed)).catch(() => undefined);
  setStatus('online');
  if (isReconnect) for (const listener of reconnectListeners) listener();
}
