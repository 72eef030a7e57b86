/**
 * The doc registry and the write path. A doc is loaded from its snapshot and update log the first
 * time it is read or written (never at launch: start-up reads only the projection). Every change
 * to a loaded doc, local or remote, becomes ONE PGlite transaction that appends the update to the
 * log and upserts the rows of the entities it touched; only then does the write resolve and a
 * change event go out. If that transaction fails, the in-memory doc is thrown away and reloaded
 * from the log on next use, so memory never holds a change the disk does not.
 */
import type { PGlite } from '@electric-sql/pglite';
import { uint32 } from 'lib0/random';
import * as Y from 'yjs';
import { ApiError, type ChangeEvent, type EntityKind } from '../../contract';
import type { Logger } from '../ports';
import type { ProjectionProblem } from './column-values';
import type { Origin } from './origins';
import { chain, entityIds, projections, projectionStatements, projectionTables, type ChangedFields, type Statement } from './projection';
import { fromBase64, toBase64 } from '../../sync-protocol/bytes-as-text';
import { parseRoom, type Room } from './rooms';

/** What one save changed in one entity. */
export interface EntityChange {
  collection: string;
  entity: EntityKind;
  id: string;
  /** The entity appeared in this change (or was replaced whole): `fields` is empty then. */
  created: boolean;
  /** The entity left the doc (soft deletion is a `deletedAt` field change, not this). */
  removed: boolean;
  /** Fields whose value changed, with the value before and after (long text as plain strings). */
  fields: FieldChange[];
  /** The entity's map as saved (null when removed); read it inside the hook, it is live. */
  map: Y.Map<unknown> | null;
  /** Who made the change: a member id, `system` (Groundwork itself), or null when unknown. */
  editor: string | null;
}

export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

/** One durable change of one doc, as save hooks see it. */
export interface SavedChange {
  room: Room;
  origin: Origin;
  /** The Yjs update (every transaction since the last save, merged). */
  update: Uint8Array;
  entities: EntityChange[];
  /** The change events views get (entity kind and ids per collection). */
  events: ChangeEvent[];
  /** Fields of this change the projection could not store (a teammate's bad value): they show empty. */
  problems: ProjectionProblem[];
  /** When it was saved (display time, from the core's clock). */
  at: string;
}

/**
 * A save hook: `statements` run INSIDE the save transaction (with the update-log append and the
 * projection rows: all or nothing), `afterSave` once the change is durable. This is how features
 * react to saved changes — change history, outboxes, sending to the relay, renumbering — without
 * the doc store knowing them. An `afterSave` that throws is logged; the change stays saved.
 */
export interface SaveHook {
  name: string;
  statements?(change: SavedChange): Statement[];
  deferred?: DeferredRows;
  afterSave?(change: SavedChange): void;
}

/**
 * Rows for a table that must be as durable as the change but need not be queryable the moment it
 * is saved (a history). They travel as JSON in the change's own log row — the write path inserts
 * nothing more, which an extra table and its indexes would cost every keystroke — and are moved
 * into `table`, in save order, when the doc store settles: before compaction drops log rows, and
 * when a reader asks (`settle()`).
 */
export interface DeferredRows {
  table: string;
  columns: string[];
  /** Postgres types of the columns, for the casts out of JSON. */
  types: string[];
  rows(change: SavedChange): unknown[][];
}

/** Per entity since the last save: created/removed, each changed field's value before, and the Yjs client that wrote it. */
interface Touched {
  created: boolean;
  removed: boolean;
  before: Map<string, unknown>;
  client: number | null;
}

interface LoadedDoc {
  room: Room;
  doc: Y.Doc;
  /** Updates produced since the last flush, in order, with the origin of the first. */
  pending: Uint8Array[];
  pendingOrigin: Origin | null;
  /** Entities touched since the last flush, by collection then id. */
  changed: Map<string, Map<string, Touched>>;
  /** Log rows written since the last snapshot; compaction runs past `compactAfter`. */
  sinceSnapshot: number;
  /** The Yjs client id this doc writes the system's changes with (see signEditor). */
  systemClient: number;
}

export interface DocStoreOptions {
  logger: Logger;
  /** Display time of a save (the core's clock). */
  now(): string;
  /** Log rows per doc before they are merged into a snapshot. */
  compactAfter?: number;
  /** Whether this machine may change the room's workspace (a viewer only reads). */
  canWrite?(room: Room): boolean;
  /** The highest log seq compaction may merge (rows the relay has not confirmed stay), or null for all. */
  compactionLimit?(room: Room): number | null;
}

/**
 * Who wrote what travels in the doc itself: the top-level map `editors` names, per Yjs client id,
 * the member whose replica writes with it (or `system`). Every item in a Yjs update carries its
 * client id, so any replica can tell who changed which field — written once per loaded doc, not
 * once per change. The system's changes (renumbering) use a client id of their own.
 */
const EDITORS = 'editors';
export const SYSTEM_EDITOR = 'system';

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
  private readonly hooks: SaveHook[] = [];
  /** Whether log rows may hold deferred rows not yet settled (unknown at start: yes). */
  private unsettled = true;

  constructor(
    private readonly db: PGlite,
    private readonly options: DocStoreOptions,
  ) {
    this.compactAfter = options.compactAfter ?? 500;
    this.addHook({ name: 'compaction-bookkeeping', afterSave: (change) => this.countSaved(change) });
  }

  /** Registers a save hook (run in registration order); returns its removal. */
  addHook(hook: SaveHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
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
      const { doc } = loaded;
      const ownClient = doc.clientID;
      if (origin.kind === 'system') doc.clientID = loaded.systemClient;
      try {
        result = doc.transact(() => {
          signEditor(doc, origin);
          return change(doc);
        }, origin);
      } catch (error) {
        this.evict(room.name);
        throw error;
      } finally {
        doc.clientID = ownClient;
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
          for (const { sql, params } of chain(projectionStatements(doc, room, entityIds(doc, room)))) await tx.query(sql, params);
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
      let settled = false;
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
        // The rows about to go may hold deferred rows: settled first, in the same transaction.
        await this.settleIn(tx, () => tx.query('DELETE FROM doc_updates WHERE room = $1 AND seq <= $2', [room.name, through]));
        settled = true;
      });
      if (settled) this.unsettled = false;
      if (loaded) loaded.sinceSnapshot = 0;
      if (!loaded) doc.destroy();
    });
  }

  /**
   * Moves the deferred rows kept in log rows (see DeferredRows) into their tables, in save order.
   * Readers of those tables call it first, so they see every saved change.
   */
  settle(): Promise<void> {
    return this.serial(async () => {
      if (!this.unsettled) return;
      await this.db.transaction((tx) => this.settleIn(tx));
      // Only once committed: a failed settle leaves the rows in the log for the next one.
      this.unsettled = false;
    });
  }

  /** Inside a transaction: the deferred rows into their tables, then (after `dropLogRows`) out of the log. */
  private async settleIn(tx: Pick<PGlite, 'query'>, dropLogRows?: () => Promise<unknown>): Promise<void> {
    if (!this.unsettled) {
      await dropLogRows?.();
      return;
    }
    for (const { deferred } of this.hooks) {
      if (!deferred) continue;
      const { table, columns, types } = deferred;
      const values = types.map((type, i) => `(row->>${i})::${type}`).join(', ');
      await tx.query(
        `INSERT INTO ${table} (${columns.join(', ')})
         SELECT ${values} FROM doc_updates u CROSS JOIN LATERAL jsonb_array_elements(u.notes->$1) WITH ORDINALITY AS e(row, n)
         WHERE u.notes ? $1 ORDER BY u.seq, e.n`,
        [table],
      );
    }
    // Rows compaction drops go first, so only the log rows that stay are rewritten without notes.
    await dropLogRows?.();
    await tx.query('UPDATE doc_updates SET notes = NULL WHERE notes IS NOT NULL');
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
    const loaded: LoadedDoc = {
      room,
      doc,
      pending: [],
      pendingOrigin: null,
      changed: new Map(),
      sinceSnapshot: rows[0]?.n ?? 0,
      systemClient: uint32(),
    };
    // Attached after loading, so replaying the log is not mistaken for new changes.
    doc.on('update', (update: Uint8Array, origin: Origin) => {
      loaded.pending.push(update);
      loaded.pendingOrigin ??= origin;
    });
    for (const [collection, projection] of Object.entries(projections[room.kind])) {
      const root = doc.getMap<unknown>(collection);
      root.observeDeep((events) => {
        let touched = loaded.changed.get(collection);
        if (!touched) loaded.changed.set(collection, (touched = new Map()));
        const entity = (id: string): Touched => {
          let t = touched.get(id);
          if (!t) touched.set(id, (t = { created: false, removed: false, before: new Map(), client: null }));
          return t;
        };
        for (const event of events) {
          if (projection.single) {
            // The whole map is the entity (the workspace doc's meta): its keys are its fields.
            if (event.target === root) recordBefore(entity(room.workspaceId), event as Y.YMapEvent<unknown>);
          } else if (event.target === root) {
            for (const [id, { action }] of event.changes.keys) {
              const t = entity(id);
              t.removed = action === 'delete';
              t.created ||= action !== 'delete';
              t.client = writerOf(root, id) ?? t.client;
            }
          } else if (event.path.length === 1) {
            recordBefore(entity(String(event.path[0])), event as Y.YMapEvent<unknown>);
          } else if (event.path.length === 2 && event.target instanceof Y.Text) {
            const t = entity(String(event.path[0]));
            const field = String(event.path[1]);
            if (!t.before.has(field)) t.before.set(field, textBefore(event as Y.YTextEvent));
            const inserted = event.changes.added.values().next().value;
            if (inserted) t.client = inserted.id.client;
          }
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
    const touched = loaded.changed;
    loaded.changed = new Map();
    if (updates.length === 0 || !origin) return;
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    const { room, doc } = loaded;
    const problems: ProjectionProblem[] = [];
    const entities = entityChanges(doc, room, origin, touched);
    const change: SavedChange = { room, origin, update, entities, events: changeEvents(room, origin, touched), problems, at: this.options.now() };
    try {
      const projection = projectionStatements(doc, room, [...touched].map(([collection, ids]) => [collection, ids.keys()]), problems, changedFieldsOf(touched));
      const notes = this.deferredNotes(change);
      if (notes) this.unsettled = true;
      const pieces: Statement[] = [
        {
          sql: "INSERT INTO doc_updates (room, update, from_remote, notes) VALUES ($1, decode($2, 'base64'), $3, $4::jsonb)",
          params: [room.name, toBase64(update), origin.kind === 'remote', notes],
        },
        ...projection,
      ];
      for (const hook of this.hooks) if (hook.statements) pieces.push(...hook.statements(change));
      // The log append, the projection rows and the hooks' statements are one transaction: a
      // single statement is one (its pieces are CTEs, see chain); several get an explicit one.
      const statements = chain(pieces);
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
    for (const hook of this.hooks) {
      try {
        hook.afterSave?.(change);
      } catch (error) {
        this.options.logger.error({ err: error, hook: hook.name, room: room.name }, 'a save hook failed after the change was saved');
      }
    }
  }

  /** The hooks' deferred rows of a change, as the JSON its log row keeps (null when none). */
  private deferredNotes(change: SavedChange): string | null {
    let notes: Record<string, unknown[][]> | null = null;
    for (const { deferred } of this.hooks) {
      const rows = deferred?.rows(change);
      if (rows && rows.length > 0) (notes ??= {})[deferred!.table] = rows;
    }
    return notes && JSON.stringify(notes);
  }

  /** Compaction and maintenance bookkeeping (the doc store's own save hook). */
  private countSaved({ room, entities }: SavedChange): void {
    const loaded = this.docs.get(room.name);
    if (loaded) {
      loaded.sinceSnapshot++;
      if (loaded.sinceSnapshot >= this.compactAfter) this.scheduleCompaction(room);
    }
    this.rowsSinceMaintenance += entities.length;
    // Like autovacuum's threshold: 1,000 rows, or a fifth of the tables once they are bigger.
    if (this.rowsSinceMaintenance >= Math.max(1_000, 0.2 * this.rowsAtMaintenance)) this.scheduleMaintenance();
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

/** Entities per save up to which a changed entity's row is UPDATEd column by column. */
const fewEntities = 16;

/**
 * A person's edit changes a field or two of one entity: only those columns are written (an
 * UPDATE is cheaper than upserting the whole row). New entities, and saves of many (a merge, a
 * bulk move), write whole rows in one multi-row upsert instead.
 */
function changedFieldsOf(touched: Map<string, Map<string, Touched>>): ChangedFields {
  let count = 0;
  for (const byId of touched.values()) count += byId.size;
  if (count > fewEntities) return () => null;
  return (collection, id) => {
    const t = touched.get(collection)?.get(id);
    return t && !t.created && !t.removed ? t.before : null;
  };
}

/** A plain value for a field (long text as its string, nested types as JSON). */
function plain(value: unknown): unknown {
  if (value instanceof Y.Text) return value.toString();
  if (value instanceof Y.AbstractType) return value.toJSON();
  return value === undefined ? null : value;
}

function recordBefore(touched: Touched, event: Y.YMapEvent<unknown>): void {
  for (const [field, { action, oldValue }] of event.changes.keys) {
    if (!touched.before.has(field)) touched.before.set(field, plain(oldValue));
    if (action !== 'delete') touched.client = writerOf(event.target, field) ?? touched.client;
  }
}

/** The Yjs client id of the item that holds a map key's current value. */
const writerOf = (map: Y.Map<unknown>, key: string): number | null => map._map.get(key)?.id.client ?? null;

/** Names this doc's writer in `editors` (once per client id): the member, or the system. */
function signEditor(doc: Y.Doc, origin: Origin): void {
  const editor = origin.kind === 'system' ? SYSTEM_EDITOR : origin.kind === 'local' ? origin.memberId : null;
  if (editor === null) return;
  const editors = doc.getMap<string>(EDITORS);
  const key = String(doc.clientID);
  if (editors.get(key) !== editor) editors.set(key, editor);
}

/**
 * The text a Y.Text held before this transaction: its items in order, skipping the ones the
 * transaction added and the ones deleted before it. Deleted content is still there while
 * observers run (garbage collection comes after them).
 */
function textBefore(event: Y.YTextEvent): string {
  let text = '';
  for (let item = (event.target as Y.Text)._start; item; item = item.right) {
    if (event.adds(item) || (item.deleted && !event.deletes(item))) continue;
    if (item.content instanceof Y.ContentString) text += item.content.str;
  }
  return text;
}

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function entityChanges(doc: Y.Doc, room: Room, origin: Origin, touched: Map<string, Map<string, Touched>>): EntityChange[] {
  const changes: EntityChange[] = [];
  const editors = doc.getMap<string>(EDITORS);
  const local = origin.kind === 'local' ? origin.memberId : origin.kind === 'system' ? SYSTEM_EDITOR : undefined;
  for (const [collection, byId] of touched) {
    const projection = projections[room.kind][collection];
    if (!projection) continue;
    const root = doc.getMap<unknown>(collection);
    for (const [id, t] of byId) {
      const found = projection.single ? root : root.get(id);
      const map = found instanceof Y.Map ? found : null;
      const fields: FieldChange[] = [];
      if (!t.created && map) {
        for (const [field, oldValue] of t.before) {
          const newValue = plain(map.get(field));
          if (!sameValue(oldValue, newValue)) fields.push({ field, oldValue, newValue });
        }
      }
      const editor = local !== undefined ? local : t.client === null ? null : (editors.get(String(t.client)) ?? null);
      changes.push({ collection, entity: projection.entity, id, created: t.created && !t.removed, removed: t.removed || !map, fields, map, editor });
    }
  }
  return changes;
}

function changeEvents(room: Room, origin: Origin, touched: Map<string, Map<string, Touched>>): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  const cause = origin.kind === 'local' ? origin.cause : undefined;
  for (const [collection, byId] of touched) {
    const entity = projections[room.kind][collection]?.entity;
    if (entity && byId.size > 0) {
      events.push({ workspaceId: room.workspaceId, projectId: room.projectId, entity, ids: [...byId.keys()], ...(cause ? { cause } : {}) });
    }
  }
  return events;
}
