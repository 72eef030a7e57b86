/**
 * createCore(ports) → the whole app as plain Node: the local replica, the doc store and the API.
 * Electron's utility process, the web host and the tests all start it the same way.
 */
import { EventEmitter } from 'node:events';
import type { Api, ApiEvents, ChangeEvent, EventName } from '../contract';
import type { EventSource, Handlers } from '../rpc/serve';
import type { CoreContext } from './context';
import { openDatabase } from './db/open-database';
import { membersApi } from './members/members.api';
import { silentLogger, type CorePorts } from './ports';
import { profileApi } from './profile/profile.api';
import { projectsApi } from './projects/projects.api';
import { settingsRepo } from './settings/settings.repo';
import { stagesApi } from './stages/stages.api';
import { DocStore } from './sync/doc-store';
import { ephemeralSealer } from './sync/secrets';
import { SyncManager } from './sync/sync-manager';
import { syncApi } from './sync/sync.api';
import { tasksApi } from './tasks/tasks.api';
import { taskNumberKeeper, type TaskNumberKeeper } from './tasks/task-numbers';
import { validated } from './validate';
import { workspacesApi } from './workspaces/workspaces.api';

export interface Core {
  /** The validated API, for in-process callers. */
  api: Api;
  /** The same API as plain handlers, for rpc/serve. */
  handlers: Handlers;
  events: EventSource;
  /** Internals for tests and tools (rebuild, compaction, sync); not part of the contract. */
  internals: CoreContext & { sync: SyncManager };
  close(): Promise<void>;
}

export async function createCore(ports: CorePorts): Promise<Core> {
  const logger = ports.logger ?? silentLogger;
  const clock = ports.clock ?? (() => new Date());
  const { db, close: closeDatabase } = await openDatabase(ports.dataDir, logger);
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const emitChange = (event: ChangeEvent) => emitter.emit('changed', event);
  // The sync manager and the doc store need each other: local changes go out once durable, and
  // compaction keeps what the relay has not confirmed yet.
  let sync: SyncManager | null = null;
  let numbers: TaskNumberKeeper | null = null;
  const docs = new DocStore(db, {
    logger,
    onChange: (events) => events.forEach(emitChange),
    onPersisted: (room, update, origin, events) => {
      sync?.onPersisted(room, update, origin);
      if (origin.kind === 'remote') numbers?.remoteChange(room, events.flatMap((e) => (e.entity === 'task' ? e.ids : [])));
    },
    canWrite: (room) => sync?.canWrite(room.workspaceId) ?? true,
    compactionLimit: (room) => sync?.compactionLimit(room) ?? null,
  });
  const ctx: CoreContext = {
    db,
    docs,
    settings: settingsRepo(db),
    logger,
    now: () => clock().toISOString(),
    emit: emitChange,
    onChange(listener) {
      emitter.on('changed', listener);
      return () => emitter.off('changed', listener);
    },
  };
  sync = new SyncManager(ctx, {
    sealer: ports.secrets ?? ephemeralSealer(),
    fetch: ports.fetch ?? fetch,
    emitStatus: (status) => emitter.emit('sync', status),
    emitPresence: (presence) => emitter.emit('presence', presence),
  });
  const syncManager = sync;
  numbers = taskNumberKeeper(ctx, (room) => syncManager.canWrite(room.workspaceId));
  const api = validated({
    workspaces: workspacesApi(ctx),
    profile: profileApi(ctx),
    members: membersApi(ctx),
    projects: projectsApi(ctx),
    stages: stagesApi(ctx),
    tasks: tasksApi(ctx),
    sync: syncApi(ctx, syncManager),
  });
  await syncManager.startAll();
  let closing: Promise<void> | null = null;
  return {
    api,
    handlers: api as unknown as Handlers,
    events: {
      on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
        emitter.on(event, listener);
        return () => emitter.off(event, listener);
      },
    },
    internals: { ...ctx, sync: syncManager },
    close() {
      closing ??= syncManager
        .close()
        .then(() => numbers?.close())
        .then(() => docs.close())
        .finally(closeDatabase);
      return closing;
    },
  };
}
