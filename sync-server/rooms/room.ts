/**
 * One room (= one Y.Doc of one workspace) loaded in this relay: the doc, its awareness, the
 * connected clients and the write pipeline.
 *
 * Write pipeline (durable before broadcast): a client's update is applied to the doc right away
 * (which also validates it), queued, and appended to storage by a single flush loop; only after
 * the append commits is it broadcast. Updates that arrive while a flush is in flight are
 * coalesced into the next one (group commit: one row, one broadcast frame), which keeps latency
 * flat under bursts. A sync-step-2 reply is computed when asked but sent only once everything it
 * contains is durable, so no client ever sees state the relay could lose.
 *
 * Nothing is sent to a client twice on one connection. It gets document updates from its first
 * step 1 on (that reply carries all it lacks, including what was broadcast before it came); a
 * broadcast that a pending reply to it already contains is skipped; and a later reply leaves out
 * what it was already sent (its step 1 may have crossed a broadcast on the wire). On a reconnect
 * after offline work, each copy would cost the client the decoding of everything the others wrote
 * meanwhile.
 *
 * The relay keeps a Y.Doc per loaded room because it must answer sync step 1 with exactly what
 * the peer lacks; the encoded full state is cached for the common case of a peer with nothing.
 */
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Role } from '../storage/relay-store';
import type { RelayStore } from '../storage/relay-store';
import { canWrite } from '../auth/tokens';
import type { RelayMetrics } from '../metrics/metrics';
import { awarenessFrame, type ClientMessage, isEmptyStateVector, syncStep1Frame, syncStep2Frame, updateFrame } from '../../src-main/sync-protocol/frames';

/** What a room needs of a connection; the WebSocket specifics stay in relay/. */
export interface RoomClient {
  readonly id: string;
  readonly role: Role;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomOptions {
  /** Merge a room's log into one snapshot row after this many appended rows. */
  compactEvery: number;
  /** Set on Postgres: announce appends to the other instances (LISTEN/NOTIFY). */
  instance: string | null;
  metrics: RelayMetrics;
  onError(error: unknown, context: string): void;
}

/** Origin of updates that are already durable (loaded from or announced through storage). */
const STORAGE_ORIGIN = Symbol('storage');
/** Origin of presence announced by another instance (not announced again). */
const ANNOUNCED_ORIGIN = Symbol('announced');

/** A state vector the doc had, and the doc's version then (later versions contain earlier ones). */
interface DocState {
  version: number;
  stateVector: Uint8Array;
}

interface Queued {
  update: Uint8Array;
  from: RoomClient;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new Awareness(this.doc);
  private readonly clients = new Map<RoomClient, Set<number>>(); // client → awareness ids it controls
  private queue: Queued[] = [];
  private flushing: Promise<void> | null = null;
  private appliedGen = 0; // bumped per queued update
  private durableGen = 0; // the last appliedGen known to be in storage
  private waiters: { gen: number; run: () => void }[] = [];
  /** Clients with a sync-step-2 reply waiting to be durable → the highest gen such a reply covers. */
  private readonly replyGens = new Map<RoomClient, number>();
  /**
   * Clients that sent their first step 1 → a state vector below which the client has, or has been
   * sent on this connection, every struct. Replies leave those structs out (deletions always go
   * in full). Clients not in here are sent no document updates yet.
   */
  private readonly knownStates = new Map<RoomClient, DocState>();
  private fullState: { version: number; update: Uint8Array } | null = null;
  private version = 0; // bumped on every change of the doc
  private rowsSinceCompaction = 0;
  private broken = false;
  destroyed = false;
  /** Updates the doc emitted during the current apply (see `apply`). */
  private emitted: Uint8Array[] | null = null;

  private constructor(
    readonly name: string,
    private readonly store: RelayStore,
    private readonly options: RoomOptions,
  ) {
    this.awareness.setLocalState(null); // the relay itself has no presence
    this.doc.on('update', (update: Uint8Array) => {
      this.version++;
      this.emitted?.push(update);
    });
    this.awareness.on('update', ({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>, origin: unknown) => {
      const owned = this.clients.get(origin as RoomClient);
      if (owned) {
        for (const id of [...added, ...updated]) owned.add(id);
        for (const id of removed) owned.delete(id);
      }
      const changed = [...added, ...updated, ...removed];
      if (changed.length === 0 || this.destroyed) return;
      const update = encodeAwarenessUpdate(this.awareness, changed);
      this.broadcast(awarenessFrame(update));
      if (origin !== ANNOUNCED_ORIGIN) this.announcePresence(update);
    });
  }

  static async load(name: string, store: RelayStore, options: RoomOptions): Promise<Room> {
    const room = new Room(name, store, options);
    const rows = await store.roomLog(name);
    for (const row of rows) {
      try {
        room.apply(row.data, STORAGE_ORIGIN);
      } catch (error) {
        options.onError(error, `room ${name}: stored update ${row.seq} is unreadable; skipped`);
      }
    }
    room.rowsSinceCompaction = rows.length;
    // Clients of this room on other instances: ask those instances who is there.
    if (options.instance) room.announce({ kind: 'awareness-query', room: name, instance: options.instance });
    return room;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Nothing queued, flushing or compacting: the room may be unloaded. */
  get idle(): boolean {
    return this.queue.length === 0 && this.flushing === null;
  }

  addClient(client: RoomClient): void {
    this.clients.set(client, new Set());
    client.send(syncStep1Frame(Y.encodeStateVector(this.doc)));
    const states = this.awareness.getStates();
    if (states.size > 0) client.send(awarenessFrame(encodeAwarenessUpdate(this.awareness, [...states.keys()])));
  }

  removeClient(client: RoomClient): void {
    const owned = this.clients.get(client);
    this.clients.delete(client);
    this.replyGens.delete(client);
    this.knownStates.delete(client);
    if (owned && owned.size > 0) removeAwarenessStates(this.awareness, [...owned], null);
  }

  /** Handles one decoded message. Throws on content that does not apply (the caller closes). */
  receive(client: RoomClient, message: ClientMessage): void {
    switch (message.type) {
      case 'sync-step-1':
        this.answerSyncStep1(client, message.stateVector);
        return;
      case 'sync-step-2':
      case 'update':
        if (!canWrite(client.role)) {
          this.options.metrics.viewerUpdatesDropped.inc();
          return;
        }
        this.acceptUpdate(client, message.update);
        return;
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, client);
        return;
      case 'query-awareness':
        client.send(awarenessFrame(encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
        return;
      case 'auth':
        return;
    }
  }

  /**
   * Applies an update that another instance appended (announced by seq). A seq that a compaction
   * has meanwhile folded away is covered by re-reading the room's log; applying twice is a no-op.
   */
  async applyAnnounced(seq: number): Promise<void> {
    const row = await this.store.roomUpdate(this.name, seq);
    this.applyStored(row ? [row] : (await this.store.roomLog(this.name)).map((r) => r.data));
  }

  /** Applies the whole stored log: after announcements may have been missed (a lost LISTEN). */
  async catchUp(): Promise<void> {
    this.applyStored((await this.store.roomLog(this.name)).map((r) => r.data));
  }

  /** Presence from a client on another instance: shown to the clients here. */
  applyAnnouncedPresence(update: Uint8Array): void {
    try {
      applyAwarenessUpdate(this.awareness, update, ANNOUNCED_ORIGIN);
    } catch (error) {
      this.options.onError(error, `room ${this.name}: unreadable presence from another instance; ignored`);
    }
  }

  /** Another instance loaded this room: tell it who is connected here. */
  answerPresenceQuery(): void {
    const ids = [...this.clients.values()].flatMap((owned) => [...owned]);
    if (ids.length > 0) this.announcePresence(encodeAwarenessUpdate(this.awareness, ids));
  }

  private announcePresence(update: Uint8Array): void {
    if (this.options.instance) this.announce({ kind: 'awareness', room: this.name, instance: this.options.instance, update });
  }

  private announce(note: Parameters<RelayStore['announcePresence']>[0]): void {
    this.store.announcePresence(note).then(
      (sent) => sent || this.options.onError(new Error('presence too large to announce'), `room ${this.name}: presence not shared with other instances`),
      (error: unknown) => this.options.onError(error, `room ${this.name}: could not announce presence to other instances`),
    );
  }

  private applyStored(updates: Uint8Array[]): void {
    const emitted: Uint8Array[] = [];
    for (const update of updates) emitted.push(...this.apply(update, STORAGE_ORIGIN));
    if (emitted.length > 0) this.broadcast(updateFrame(emitted.length === 1 ? emitted[0]! : Y.mergeUpdates(emitted)), (client) => !this.knownStates.has(client));
  }

  /** Closes every client (the relay is stopping or storage failed) and frees the doc. */
  destroy(code = 1001, reason = 'relay shutting down'): void {
    this.destroyed = true;
    for (const client of [...this.clients.keys()]) client.close(code, reason);
    this.clients.clear();
    this.waiters = []; // their clients are closed
    this.replyGens.clear();
    this.knownStates.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Resolves when queued updates are durable (used before unloading and on shutdown). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private answerSyncStep1(client: RoomClient, stateVector: Uint8Array): void {
    const known = this.knownStates.get(client);
    if (known) stateVector = Y.encodeStateVector(maxStates(Y.decodeStateVector(stateVector), Y.decodeStateVector(known.stateVector)));
    // After this reply (sent in order, before anything queued later) the client has all the doc has now.
    this.knownStates.set(client, this.state());
    let reply: Uint8Array;
    if (isEmptyStateVector(stateVector)) {
      if (this.fullState?.version !== this.version) this.fullState = { version: this.version, update: Y.encodeStateAsUpdate(this.doc) };
      reply = this.fullState.update;
    } else {
      reply = Y.encodeStateAsUpdate(this.doc, stateVector);
    }
    const frame = syncStep2Frame(reply);
    const gen = this.appliedGen;
    if (gen > this.durableGen) this.replyGens.set(client, Math.max(gen, this.replyGens.get(client) ?? 0));
    this.whenDurable(gen, () => {
      if (this.clients.has(client)) client.send(frame);
    });
  }

  private acceptUpdate(client: RoomClient, update: Uint8Array): void {
    let changed: Uint8Array[];
    try {
      changed = this.apply(update, client);
    } catch (error) {
      // A half-applied update may still have changed the doc: keep what it changed durable.
      const partial = (error as { emitted?: Uint8Array[] }).emitted ?? [];
      for (const u of partial) this.enqueue(u, client);
      throw error;
    }
    // Content waiting for missing dependencies changes nothing yet but must be kept too, or it
    // would be lost when the room is reloaded; only exact duplicates are skipped.
    const store = this.doc.store;
    if (changed.length > 0 || store.pendingStructs !== null || store.pendingDs !== null) this.enqueue(update, client);
  }

  /** Applies an update, returning what the doc emitted (empty when it changed nothing). */
  private apply(update: Uint8Array, origin: unknown): Uint8Array[] {
    const emitted: Uint8Array[] = [];
    this.emitted = emitted;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { emitted });
    } finally {
      this.emitted = null;
    }
    return emitted;
  }

  private enqueue(update: Uint8Array, from: RoomClient): void {
    if (this.broken) return;
    this.queue.push({ update, from });
    this.appliedGen++;
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0 && !this.broken) {
      const batch = this.queue.splice(0);
      const gen = this.appliedGen;
      // The doc's state now covers exactly this batch and everything before it.
      const batchState = this.knownStates.size > 0 ? this.state() : null;
      const merged = batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((q) => q.update));
      try {
        await this.store.append(this.name, merged, this.options.instance ? { instance: this.options.instance } : undefined);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.options.metrics.updatesPersisted.inc();
      this.rowsSinceCompaction++;
      this.durableGen = gen;
      // A lone writer already has its own update, and a client with a reply pending that was
      // computed after this batch was applied gets it in that reply; everyone else gets it now.
      const only = batch.every((q) => q.from === batch[0]!.from) ? batch[0]!.from : null;
      this.broadcast(
        updateFrame(merged),
        (client) => client === only || !this.knownStates.has(client) || (this.replyGens.get(client) ?? 0) >= gen,
      );
      // A client that was caught up has, or has just been sent, all of this batch's state.
      if (batchState) for (const [client, known] of this.knownStates) if (known.version < batchState.version) this.knownStates.set(client, batchState);
      this.releaseWaiters();
      if (this.rowsSinceCompaction >= this.options.compactEvery) await this.compact();
    }
  }

  private async compact(): Promise<void> {
    try {
      await this.store.compact(this.name, mergeIntoSnapshot);
      this.rowsSinceCompaction = 0;
    } catch (error) {
      // The log is intact (the transaction rolled back); try again after more appends.
      this.rowsSinceCompaction = Math.floor(this.options.compactEvery / 2);
      this.options.onError(error, `room ${this.name}: compaction failed`);
    }
  }

  /**
   * Storage refused an append: the doc now holds state that is not durable. Close every client
   * (they reconnect, and their sync re-sends what the relay lacks) and let the registry unload
   * the room so that it is reloaded from storage.
   */
  private fail(error: unknown): void {
    this.broken = true;
    this.queue = [];
    this.options.onError(error, `room ${this.name}: storage append failed; closing its connections`);
    for (const client of [...this.clients.keys()]) client.close(1011, 'storage unavailable, reconnect');
  }

  get isBroken(): boolean {
    return this.broken;
  }

  /** The doc's state vector now, tagged with the doc version so that two can be ordered. */
  private state(): DocState {
    return { version: this.version, stateVector: Y.encodeStateVector(this.doc) };
  }

  private whenDurable(gen: number, run: () => void): void {
    if (gen <= this.durableGen) run();
    else this.waiters.push({ gen, run });
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.gen <= this.durableGen);
    this.waiters = this.waiters.filter((w) => w.gen > this.durableGen);
    for (const waiter of ready) waiter.run();
    for (const [client, gen] of this.replyGens) if (gen <= this.durableGen) this.replyGens.delete(client);
  }

  private broadcast(frame: Uint8Array, skip: (client: RoomClient) => boolean = () => false): void {
    for (const client of this.clients.keys()) if (!skip(client)) client.send(frame);
  }
}

/** The larger clock of each client in either state vector. */
function maxStates(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  const max = new Map(a);
  for (const [client, clock] of b) if (clock > (max.get(client) ?? 0)) max.set(client, clock);
  return max;
}

/** A compacted snapshot is the state of a fresh, GC'd doc: deleted content is dropped. */
function mergeIntoSnapshot(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  try {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update);
      } catch {
        // an unreadable row was already skipped at load; it is dropped from the snapshot too
      }
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
