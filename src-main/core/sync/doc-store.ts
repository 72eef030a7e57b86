/**
 * The doc registry and the write path. A doc is loaded from its snapshot and update log the first
 * time it is read or written (never at launch: start-up reads only the projection). Every change
 * to a loaded doc, local or remote, becomes ONE PGlite transaction that appends the update to the
 * log and upserts the rows of the entities it touched; only then does the write resolve and a
 * change event go out. If that transaction fails, the in-memory doc is thrown away and reloaded
 * from the log on next use, so memory never holds a change the disk does not.
 */
import type { PGlite } from '@electric-sql/pglite';
import * as Y from 'yjs';
import { ApiError, type ChangeEvent } from '../../contract';
import type { Logger } from '../ports';
import type { Origin } from './origins';
import { entityIds, projections, projectionStatements, projectionTables, type Statement } from './projection';
import { fromBase64, toBase64 } from '../../../sync-server/storage/bytes-as-text';
import { parseRoom, type Room } from './rooms';

interface LoadedDoc {
  room: Room;
  doc: Y.Doc;
  /** Updates produced since the last flush, in order, with the origin of the first. */
  pending: Uint8Array[];
  pendingOrigin: Origin | null;
  /** Changed entity ids since the last flush, by collection. */
  changed: Map<string, Set<string>>;
  /** Log rows written since the last snapshot; compaction runs past `compactAfter`. */
  sinceSnapshot: number;
}

export interface DocStoreOptions {
  logger: Logger;
  onChange(events: ChangeEvent[]): void;
  /** Log rows per doc before they are merged into a snapshot. */
  compactAfter?: number;
  /** After a change is durable (with the change events it made): team sync sends local ones to the relay. */
  onPersisted?(room: Room, update: Uint8Array, origin: Origin, events: ChangeEvent[]): void;
  /** Whether this machine may change the room's workspace (a viewer only reads). */
  canWrite?(room: Room): boolean;
  /** The highest log seq compaction may merge (rows the relay has not confirmed stay), or null for all. */
  compactionLimit?(room: Room): number | null;
}

export class DocStore {
  private readonly docs = new Map<string, LoadedDoc>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly compactAfter: number;
  private readonly compactTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private maintenanceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Projection rows written since the last `maintain()`, and how many rows the tables held then. */
  private rowsSinceMaintenance = 0;
  private rowsAtMaintenance = 0;
  private closed = false;

  constructor(
    private readonly db: PGlite,
    private readonly options: DocStoreOptions,
  ) {
    this.compactAfter = options.compactAfter ?? 500;
  }

  /**
   * Runs `change` in one doc transaction and makes it durable in the replica before resolving.
   * Validate before calling: if `change` throws halfway, the doc is discarded (nothing persisted).
   */
  write<T>(room: Room, origin: Origin, change: (doc: Y.Doc) => T): Promise<T> {
    if (this.options.canWrite && !this.options.canWrite(room)) {
      return Promise.reject(new ApiError('FORBIDDEN', 'You have view-only access to this workspace; ask an owner or admin for a member invite to edit.'));
    }
    return this.serial(async () => {
      const loaded = await this.load(room);
      let result: T;
      try {
        result = loaded.doc.transact(() => change(loaded.doc), origin);
      } catch (error) {
        this.evict(room.name);
        throw error;
      }
      await this.flush(loaded);
      return result;
    });
  }

  /** Applies an update from elsewhere (a relay, an import) through the same durable path. */
  applyUpdate(room: Room, update: Uint8Array, origin: Origin): Promise<void> {
    return this.serial(async () => {
      const loaded = await this.load(room);
      try {
        Y.applyUpdate(loaded.doc, update, origin);
      } catch (error) {
        this.evict(room.name);
        throw new ApiError('VALIDATION', `The update for ${room.name} could not be applied: ${String(error)}`);
      }
      await this.flush(loaded);
    });
  }

  /** Reads from the doc itself (loading it if needed); for what the projection does not hold. */
  read<T>(room: Room, read: (doc: Y.Doc) => T): Promise<T> {
    return this.serial(async () => read((await this.load(room)).doc));
  }

  /** The doc's full state as one update (for sync and tests). */
  encodeState(room: Room): Promise<Uint8Array> {
    return this.read(room, (doc) => Y.encodeStateAsUpdate(doc));
  }

  /**
   * Rebuilds every projection table from the update log alone (fresh docs, not the cached ones).
   * The invariant tests hold: the result equals the incrementally kept tables.
   */
  rebuildProjection(): Promise<void> {
    return this.serial(async () => {
      const { rows } = await this.db.query<{ room: string }>(
        'SELECT room FROM doc_snapshots UNION SELECT DISTINCT room FROM doc_updates ORDER BY room',
      );
      await this.db.transaction(async (tx) => {
        await tx.exec(projectionTables.map((t) => `DELETE FROM ${t};`).join('\n'));
        for (const { room: name } of rows) {
          const room = parseRoom(name);
          const doc = await this.readFromLog(room, tx);
          for (const { sql, params } of projectionStatements(doc, room, entityIds(doc, room))) await tx.query(sql, params);
          doc.destroy();
        }
      });
    });
  }

  /** Merges a doc's log into one snapshot row, so loading it never replays the world. */
  compact(room: Room): Promise<void> {
    return this.serial(async () => {
      const loaded = this.docs.get(room.name);
      const doc = loaded?.doc ?? (await this.readFromLog(room));
      const state = Y.encodeStateAsUpdate(doc);
      await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ max: string | null }>('SELECT max(seq)::text AS max FROM doc_updates WHERE room = $1', [room.name]);
        // With team sync, rows the relay has not confirmed stay rows (they are counted as pending).
        // The snapshot may then also contain them: applying an update twice changes nothing.
        const limit = this.options.compactionLimit?.(room) ?? null;
        const max = rows[0]?.max;
        const through = max && limit !== null ? String(Math.min(Number(max), limit)) : max;
        if (!through || through === '0') return;
        await tx.query(
          `INSERT INTO doc_snapshots (room, state, through_seq) VALUES ($1, decode($2, 'base64'), $3)
           ON CONFLICT (room) DO UPDATE SET state = EXCLUDED.state, through_seq = EXCLUDED.through_seq`,
          [room.name, toBase64(state), through],
        );
        await tx.query('DELETE FROM doc_updates WHERE room = $1 AND seq <= $2', [room.name, through]);
      });
      if (loaded) loaded.sinceSnapshot = 0;
      if (!loaded) doc.destroy();
    });
  }

  /**
   * What Postgres' autovacuum would do, which PGlite does not run: refresh the planner statistics
   * and the visibility map of the projection tables. Without them every table looks empty to the
   * planner (a 10,000-task board became 20,000 index probes instead of two hash joins) and
   * index-only scans still visit the heap. Scheduled after enough rows changed (see flush).
   */
  maintain(): Promise<void> {
    return this.serial(async () => {
      await this.db.exec(`VACUUM (ANALYZE) ${projectionTables.join(', ')}`);
      const { rows } = await this.db.query<{ n: number }>(
        'SELECT coalesce(sum(greatest(reltuples, 0)), 0)::float8 AS n FROM pg_class WHERE relname = ANY($1::text[])',
        [projectionTables],
      );
      this.rowsAtMaintenance = rows[0]?.n ?? 0;
      this.rowsSinceMaintenance = 0;
    });
  }

  /** Waits for queued work (including scheduled compactions) and drops every doc. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.compactTimers.values()) clearTimeout(timer);
    this.compactTimers.clear();
    if (this.maintenanceTimer) clearTimeout(this.maintenanceTimer);
    await this.serial(async () => {
      for (const loaded of this.docs.values()) loaded.doc.destroy();
      this.docs.clear();
    });
  }

  /** Drops the loaded docs whose room names start with `prefix` (a workspace being removed). */
  forget(prefix: string): Promise<void> {
    return this.serial(async () => {
      for (const name of [...this.docs.keys()]) if (name.startsWith(prefix)) this.evict(name);
    });
  }

  isLoaded(room: Room): boolean {
    return this.docs.has(room.name);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(room: Room): Promise<LoadedDoc> {
    const existing = this.docs.get(room.name);
    if (existing) return existing;
    if (this.closed) throw new ApiError('UNAVAILABLE', 'The local replica is closing.');
    const doc = await this.readFromLog(room);
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE room = $1', [room.name]);
    const loaded: LoadedDoc = { room, doc, pending: [], pendingOrigin: null, changed: new Map(), sinceSnapshot: rows[0]?.n ?? 0 };
    // Attached after loading, so replaying the log is not mistaken for new changes.
    doc.on('update', (update: Uint8Array, origin: Origin) => {
      loaded.pending.push(update);
      loaded.pendingOrigin ??= origin;
    });
    for (const [collection, projection] of Object.entries(projections[room.kind])) {
      const root = doc.getMap<unknown>(collection);
      root.observeDeep((events) => {
        let ids = loaded.changed.get(collection);
        if (!ids) loaded.changed.set(collection, (ids = new Set()));
        if (projection.single) {
          ids.add(room.workspaceId);
          return;
        }
        for (const event of events) {
          if (event.target === root) for (const key of event.changes.keys.keys()) ids.add(key);
          else if (event.path[0] !== undefined) ids.add(String(event.path[0]));
        }
      });
    }
    this.docs.set(room.name, loaded);
    return loaded;
  }

  /** `q` is the open transaction when called inside one (PGlite would wait on itself otherwise). */
  private async readFromLog(room: Room, q: Pick<PGlite, 'query'> = this.db): Promise<Y.Doc> {
    const doc = new Y.Doc({ gc: true });
    const snapshot = await q.query<{ state: string; through_seq: string }>(
      "SELECT encode(state, 'base64') AS state, through_seq::text FROM doc_snapshots WHERE room = $1",
      [room.name],
    );
    const updates = await q.query<{ update: string }>(
      "SELECT encode(update, 'base64') AS update FROM doc_updates WHERE room = $1 AND seq > $2 ORDER BY seq",
      [room.name, snapshot.rows[0]?.through_seq ?? '0'],
    );
    const all = [...snapshot.rows.map((r) => fromBase64(r.state)), ...updates.rows.map((r) => fromBase64(r.update))];
    if (all.length > 0) Y.applyUpdate(doc, all.length === 1 ? all[0]! : Y.mergeUpdates(all));
    return doc;
  }

  private async flush(loaded: LoadedDoc): Promise<void> {
    const updates = loaded.pending.splice(0);
    const origin = loaded.pendingOrigin;
    loaded.pendingOrigin = null;
    const changed = loaded.changed;
    loaded.changed = new Map();
    if (updates.length === 0 || !origin) return;
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    const { room, doc } = loaded;
    const append: Statement = {
      sql: "INSERT INTO doc_updates (room, update, from_remote) VALUES ($1, decode($2, 'base64'), $3)",
      params: [room.name, toBase64(update), origin.kind === 'remote'],
    };
    try {
      const statements = projectionStatements(doc, room, changed, append);
      // The log append and the projection rows are one transaction: a single statement is one
      // (its pieces are CTEs, see projectionStatements); several are wrapped in an explicit one.
      if (statements.length === 1) await this.db.query(statements[0]!.sql, statements[0]!.params);
      else {
        await this.db.transaction(async (tx) => {
          for (const { sql, params } of statements) await tx.query(sql, params);
        });
      }
    } catch (error) {
      this.evict(room.name);
      this.options.logger.error({ err: error, room: room.name }, 'could not persist a change');
      throw new ApiError('INTERNAL', 'The change could not be saved to the local replica; nothing was changed.');
    }
    loaded.sinceSnapshot++;
    if (loaded.sinceSnapshot >= this.compactAfter) this.scheduleCompaction(room);
    for (const ids of changed.values()) this.rowsSinceMaintenance += ids.size;
    // Like autovacuum's threshold: 1,000 rows, or a fifth of the tables once they are bigger.
    if (this.rowsSinceMaintenance >= Math.max(1_000, 0.2 * this.rowsAtMaintenance)) this.scheduleMaintenance();
    const events: ChangeEvent[] = [];
    for (const [collection, ids] of changed) {
      const entity = projections[room.kind][collection]?.entity;
      if (entity && ids.size > 0) {
        events.push({ workspaceId: room.workspaceId, projectId: room.projectId, entity, ids: [...ids] });
      }
    }
    if (events.length > 0) this.options.onChange(events);
    this.options.onPersisted?.(room, update, origin, events);
  }

  private scheduleCompaction(room: Room): void {
    if (this.compactTimers.has(room.name) || this.closed) return;
    // Deferred so a burst of writes is not slowed by encoding a big doc in the middle of it.
    const timer = setTimeout(() => {
      this.compactTimers.delete(room.name);
      this.compact(room).catch((err: unknown) => this.options.logger.warn({ err, room: room.name }, 'compaction failed'));
    }, 250);
    timer.unref?.();
    this.compactTimers.set(room.name, timer);
  }

  private scheduleMaintenance(): void {
    if (this.maintenanceTimer || this.closed) return;
    // Deferred like compaction, so it runs after a burst of writes rather than inside it.
    this.maintenanceTimer = setTimeout(() => {
      this.maintenanceTimer = null;
      this.maintain().catch((err: unknown) => this.options.logger.warn({ err }, 'replica maintenance failed'));
    }, 1_000);
    this.maintenanceTimer.unref?.();
  }

  private evict(name: string): void {
    this.docs.get(name)?.doc.destroy();
    this.docs.delete(name);
  }
}
