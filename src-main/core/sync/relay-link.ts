/**
 * One room's connection to a relay, speaking the standard y-websocket protocol. Incoming updates
 * go through the doc store's durable path (persisted and projected before anyone sees them);
 * local updates are sent once they are durable. Nothing waits for the network: offline edits stay
 * in the update log, and each (re)connect exchanges state vectors, so whatever either side lacks
 * — after a restart, a dropped connection, days offline — is sent then.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { finalCloseMessage } from '../../sync-protocol/close-codes';
import { decodeMessage, syncStep1Frame, syncStep2Frame, updateFrame, awarenessFrame } from '../../sync-protocol/frames';
import type { Logger } from '../ports';
import type { DocStore } from './doc-store';
import { remoteOrigin } from './origins';
import type { Room } from './rooms';

export type LinkState = 'connecting' | 'connected' | 'offline' | 'error';

export interface LinkStatus {
  state: LinkState;
  /** Why the link is offline or failed, in words a person understands. */
  error: string | null;
  /** Whether the first exchange after connecting is complete. */
  synced: boolean;
  lastSyncedAt: string | null;
}

export interface RoomLinkOptions {
  /** `ws://host:port` of the relay. */
  relayUrl: string;
  token: string;
  room: Room;
  docs: DocStore;
  logger: Logger;
  now(): string;
  onStatus(status: LinkStatus): void;
  /** A sync step 2 arrived: the answer to a step 1 of ours (the opening one, or a probe). */
  onSyncStep2?(): void;
  /** We answered the relay's step 1 with what it lacked (our offline changes, if any). */
  onAnsweredRelay?(): void;
  onAwareness?(update: Uint8Array): void;
  /** How long to wait before retry number `attempt` (from 0); defaults to `backOffWithJitter`. */
  retryDelayMs?: (attempt: number) => number;
}

/** Exponential back-off with full jitter: 0.5 s, 1 s, 2 s … capped at 30 s. */
export function backOffWithJitter(attempt: number): number {
  const ceiling = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export class RoomLink {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** The relay refused us (401/403): retrying cannot help until the user acts. */
  private finalFailure = false;
  /** Why the current connection failed, in words, once known. */
  private failure: string | null = null;
  private status: LinkStatus = { state: 'connecting', error: null, synced: false, lastSyncedAt: null };

  constructor(private readonly options: RoomLinkOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'leaving');
    this.ws = null;
    this.setStatus({ state: 'offline', error: null, synced: false });
  }

  get current(): LinkStatus {
    return this.status;
  }

  /**
   * Sends a durable local update; a no-op while offline, where the next connect's exchange covers
   * it. Sent even before the first exchange completes: updates are idempotent and order-free.
   */
  sendUpdate(update: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(updateFrame(update));
  }

  /**
   * Sends our state vector (a sync step 1). The relay answers once all it received from us before
   * is durable, so the answer confirms our earlier updates. False when not connected.
   */
  sendProbe(): boolean {
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return false;
    this.sendStateVector(ws);
    return true;
  }

  sendAwareness(update: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(awarenessFrame(update));
  }

  private connect(): void {
    const { relayUrl, token, room, logger } = this.options;
    this.setStatus({ state: 'connecting', synced: false });
    const url = `${relayUrl.replace(/\/+$/, '')}/${room.name}?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    this.failure = null;

    ws.on('open', () => {
      // The back-off is reset only once the first exchange has been saved (see receive): a socket
      // that opens and then fails on what it receives must not reconnect at full speed forever.
      this.setStatus({ state: 'connected', error: null });
      this.sendStateVector(ws);
    });
    ws.on('unexpected-response', (_req, res) => {
      this.finalFailure = res.statusCode === 401 || res.statusCode === 403;
      this.failure =
        res.statusCode === 401
          ? 'The relay did not accept your access token (invalid or expired). Ask for a new invite.'
          : res.statusCode === 403
            ? 'Your access token does not give access to this workspace.'
            : `The relay answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim();
      ws.terminate();
    });
    ws.on('message', (data: Buffer) =>
      void this.receive(ws, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).catch((error: unknown) => {
        // The relay sends each change once per connection: one we could not keep (or a step 1 we
        // could not answer) is exchanged again by a fresh connection's state vectors.
        logger.error({ err: error, room: room.name }, 'could not process a message from the relay; reconnecting');
        this.restart(ws, 'A change from the relay could not be saved on this computer; reconnecting to fetch it again.');
      }),
    );
    ws.on('error', (error) => {
      if (this.ws === ws) this.failure ??= describeNetworkError(error, relayUrl);
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      const final = finalCloseMessage(code); // retrying cannot help until the user acts
      if (final || this.finalFailure) {
        this.setStatus({ state: 'error', error: final ?? this.failure, synced: false });
        return;
      }
      const why = this.failure ?? (code === 1000 || code === 1001 ? 'The relay closed the connection.' : `Connection closed (${code}${reason.length ? `: ${reason.toString()}` : ''}).`);
      this.setStatus({ state: 'offline', error: why, synced: false });
      this.scheduleReconnect();
    });
  }

  /**
   * Sends our state vector (a sync step 1). The relay sends a connection no document updates
   * before its first one, so a failure to read it starts the connection over.
   */
  private sendStateVector(ws: WebSocket): void {
    this.options.docs.read(this.options.room, (doc) => Y.encodeStateVector(doc)).then(
      (sv) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(syncStep1Frame(sv));
      },
      (err: unknown) => {
        this.options.logger.warn({ err, room: this.options.room.name }, 'could not read the state vector; reconnecting');
        this.restart(ws, 'This computer could not read its copy of the workspace to sync it; reconnecting.');
      },
    );
  }

  /** Drops a connection that cannot go on; the close handler reconnects and shows `why`. */
  private restart(ws: WebSocket, why: string): void {
    if (this.ws !== ws) return;
    this.failure = why;
    ws.terminate();
  }

  /** Retries now if the link waits between attempts (not after a final refusal). */
  reconnectNow(): void {
    if (this.stopped || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.connect();
  }

  private scheduleReconnect(): void {
    const delay = (this.options.retryDelayMs ?? backOffWithJitter)(this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }

  private async receive(ws: WebSocket, frame: Uint8Array): Promise<void> {
    const { docs, room, logger } = this.options;
    let message;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      logger.warn({ err: error, room: room.name }, 'ignored a malformed message from the relay');
      return;
    }
    switch (message.type) {
      case 'sync-step-1': {
        // The relay's state: answer with what it lacks. Sent on connect and again after it
        // stored our updates, which is how we learn they are safe there.
        const diff = await docs.read(room, (doc) => Y.encodeStateAsUpdate(doc, message.stateVector));
        if (ws.readyState === WebSocket.OPEN) ws.send(syncStep2Frame(diff));
        this.options.onAnsweredRelay?.();
        return;
      }
      case 'sync-step-2':
      case 'update':
        await docs.applyUpdate(room, message.update, remoteOrigin);
        if (message.type === 'sync-step-2') {
          this.attempt = 0;
          this.options.onSyncStep2?.();
          this.setStatus({ synced: true, lastSyncedAt: this.options.now() });
        } else this.setStatus({ lastSyncedAt: this.options.now() });
        return;
      case 'awareness':
        this.options.onAwareness?.(message.update);
        return;
      default:
        return;
    }
  }

  private setStatus(patch: Partial<LinkStatus>): void {
    this.status = { ...this.status, ...patch };
    this.options.onStatus(this.status);
  }
}

function describeNetworkError(error: Error & { code?: string }, relayUrl: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `Nothing answers at ${relayUrl}: the relay is not running or the address is wrong.`;
    case 'ENOTFOUND':
      return `The relay's host name in ${relayUrl} could not be found.`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return 'The connection to the relay was lost.';
    default:
      return `Could not reach the relay: ${error.message}`;
  }
}
