/**
 * The rooms loaded in this relay. A room is loaded by its first client, and unloaded once it has
 * had no client for `idleMs` and nothing left to persist, so memory follows active rooms only.
 */
import type { Announcement, RelayStore } from '../storage/relay-store';
import { Room, type RoomClient, type RoomOptions } from './room';

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  /** Which entry of `rooms` a loaded room came from, to drop exactly that entry when unloading. */
  private readonly entryOf = new WeakMap<Room, Promise<Room>>();

  constructor(
    private readonly store: RelayStore,
    private readonly options: RoomOptions & { idleMs: number },
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  async join(name: string, client: RoomClient): Promise<Room> {
    clearTimeout(this.unloadTimers.get(name));
    this.unloadTimers.delete(name);
    for (;;) {
      let loading = this.rooms.get(name);
      if (!loading) {
        const load = Room.load(name, this.store, this.options);
        this.rooms.set(name, load);
        this.options.metrics.rooms.set(this.rooms.size);
        load.catch(() => this.forget(name, load));
        loading = load;
      }
      const room = await loading;
      // Unloaded, or broken by a storage failure, while we waited: load it afresh from storage.
      if (room.destroyed || room.isBroken) {
        this.forget(name, loading);
        continue;
      }
      this.entryOf.set(room, loading);
      room.addClient(client);
      return room;
    }
  }

  leave(room: Room, client: RoomClient): void {
    room.removeClient(client);
    if (room.clientCount === 0) this.scheduleUnload(room);
  }

  /** A NOTIFY from another instance: only rooms loaded here care; the others read storage on load. */
  async announced(note: Announcement): Promise<void> {
    const room = await this.rooms.get(note.room);
    if (!room || room.destroyed) return;
    if (note.kind === 'update') await room.applyAnnounced(note.seq);
    else if (note.kind === 'awareness') room.applyAnnouncedPresence(note.update);
    else room.answerPresenceQuery();
  }

  /** Announcements may have been missed (the LISTEN connection was lost): re-read every loaded room. */
  async catchUp(): Promise<void> {
    for (const loading of [...this.rooms.values()]) {
      const room = await loading.catch(() => null);
      if (room && !room.destroyed) {
        await room.catchUp();
        room.answerPresenceQuery(); // and tell the others who is here, in case they missed it too
      }
    }
  }

  /** Persists what is queued, closes every client and frees every room. */
  async closeAll(): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const result of rooms) {
      if (result.status !== 'fulfilled') continue;
      await result.value.settled();
      result.value.destroy();
    }
    this.rooms.clear();
    this.options.metrics.rooms.set(0);
  }

  private scheduleUnload(room: Room): void {
    clearTimeout(this.unloadTimers.get(room.name));
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room.name);
      if (room.clientCount > 0) return;
      // Still persisting: unloading now would let a reload miss the queued updates.
      if (!room.idle) return this.scheduleUnload(room);
      this.forget(room.name, this.entryOf.get(room) ?? null);
      room.destroy();
    }, room.isBroken ? 0 : this.options.idleMs);
    timer.unref();
    this.unloadTimers.set(room.name, timer);
  }

  /** Drops a room's entry if it is still `loading` (a newer load of the same name stays). */
  private forget(name: string, loading: Promise<Room> | null): void {
    if (this.rooms.get(name) === loading) this.rooms.delete(name);
    this.options.metrics.rooms.set(this.rooms.size);
  }
}
