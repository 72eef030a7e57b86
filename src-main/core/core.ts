/**
 * createCore(ports) → the whole app as plain Node: the local replica, the doc store and the API.
 * Electron's utility process, the web host and the tests all start it the same way.
 *
 * The seams every feature uses (see README.md here): a mutation (mutating-methods.ts, run by
 * api-registration.ts in its workspace's queue), a save hook (`docs.addHook`), and a main-process
 * call (`ctx.main`, the MainApi RPC).
 */
import { EventEmitter } from 'node:events';
import { eventNames, type Api, type ApiEvents, type ChangeEvent, type EventName, type Transport } from '../contract';
import { serve, subscriptionHandlers, type EventSource, type Handlers } from '../rpc/serve';
import { registerApi } from './api-registration';
import type { CoreContext } from './context';
import { openDatabase } from './db/open-database';
import { changeHistoryHook } from './history/history.hook';
import { mainSealer, nodeMain } from './main/main-client';
import { builtInJobTypes } from './jobs/types/registry';
import { JobTypes } from './jobs/job-types';
import { filesApi } from './files/files.api';
import { backupsApi } from './backups/backups.api';
import { restoreAtStart } from './backups/restore-at-start';
import { githubApi } from './integrations/github/github.api';
import { vercelApi } from './integrations/vercel/vercel.api';
import { jobsApi } from './jobs/jobs.api';
import { Scheduler } from './jobs/scheduler';
import { nodeScheduleTimers } from './jobs/timers';
import { membersApi } from './members/members.api';
import { replicaId } from './settings/replica-id';
import { MutationQueue } from './mutation-queue';
import { entityPlaces } from './places';
import { silentLogger, type CorePorts } from './ports';
import { profileApi } from './profile/profile.api';
import { preferencesApi } from './settings/preferences.api';
import { projectsApi } from './projects/projects.api';
import { settingsRepo } from './settings/settings.repo';
import { stagesApi } from './stages/stages.api';
import { DocStore } from './sync/doc-store';
import { SyncManager } from './sync/sync-manager';
import { syncApi } from './sync/sync.api';
import { tasksApi } from './tasks/tasks.api';
import { taskNumberKeeper } from './tasks/task-numbers';
import { webhooks as webhooksApi } from './webhooks/webhooks.api';
import type { WebhookSender } from './webhooks/webhook-sender';
import { workspacesApi } from './workspaces/workspaces.api';

export interface Core {
  /** The validated API, for in-process callers. */
  api: Api;
  /** The same API as the RPC serves it (with each call's caller), for rpc/serve. */
  handlers: Handlers;
  events: EventSource<ApiEvents>;
  /** Serves the API (calls and subscribed events) on one connection; returns its stop. */
  serve(transport: Transport, options?: { log?: { debug(obj: object, msg?: string): void } }): () => void;
  /** A connection (a window, a tab) went away: its presence ends. Hosts that `serve` themselves call it. */
  connectionEnded(connectionId: string): void;
  /** Internals for tests and tools (rebuild, compaction, sync); not part of the contract. */
  internals: CoreContext & { sync: SyncManager; mutations: MutationQueue; scheduler: Scheduler; webhooks: WebhookSender };
  close(): Promise<void>;
}

export async function createCore(ports: CorePorts): Promise<Core> {
  const logger = ports.logger ?? silentLogger;
  const clock = ports.clock ?? (() => new Date());
  const now = () => clock().toISOString();
  const defaultMain = ports.main ? null : nodeMain();
  const main = ports.main ?? defaultMain!.client;
  // A restore needs the data dir closed: it runs before the replica opens (restore-at-start.ts).
  const lastRestore = ports.restoreFrom === undefined ? null : await restoreAtStart(ports.dataDir, ports.restoreFrom, logger, clock);
  const { db, close: closeDatabase } = await openDatabase(ports.dataDir, logger);
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const emitChange = (event: ChangeEvent) => emitter.emit('changed', event);
  // Set once the sync manager exists: whether this machine may write, and what compaction may merge.
  let sync: SyncManager | null = null;
  const docs = new DocStore(db, {
    logger,
    now,
    canWrite: (room) => sync?.canWrite(room.workspaceId) ?? true,
    compactionLimit: (room) => sync?.compactionLimit(room) ?? null,
  });
  const onChange = (listener: (event: ChangeEvent) => void) => {
    emitter.on('changed', listener);
    return () => emitter.off('changed', listener);
  };
  const mutations = new MutationQueue();
  const ctx: CoreContext = {
    db,
    docs,
    settings: settingsRepo(db),
    logger,
    places: entityPlaces(db, onChange),
    main,
    now,
    mutate: (workspaceId, work) => mutations.run(workspaceId, work),
    emit: emitChange,
    onChange,
  };
  // Save hooks, in the order they run: history rows inside the save; after it, the change events
  // views get, then (registered by themselves) team sync and task renumbering.
  docs.addHook(changeHistoryHook);
  docs.addHook({ name: 'change-events', afterSave: ({ events }) => events.forEach(emitChange) });
  sync = new SyncManager(ctx, {
    sealer: mainSealer(main),
    fetch: ports.fetch ?? fetch,
    emitStatus: (status) => emitter.emit('sync', status),
    emitPresence: (presence) => emitter.emit('presence', presence),
    retryDelayMs: ports.relayRetryDelayMs,
  });
  const syncManager = sync;
  const subscriptions = subscriptionHandlers<EventName>();
  const numbers = taskNumberKeeper(ctx, (room) => syncManager.canWrite(room.workspaceId));
  const replica = await replicaId(ctx.settings);
  // A local-only workspace is its owner's.
  const roleIn = (workspaceId: string) => syncManager.config(workspaceId)?.role ?? 'owner';
  const timers = ports.timers ?? nodeScheduleTimers();
  // GitHub: the namespace, its sync job type, and its actions queue's start and close.
  // What every integration needs of the core: main's sealer for its secrets, the network, this
  // replica, its roles, and the core's clock and timers.
  const integration = { sealer: mainSealer(main), fetch: ports.fetch ?? fetch, roleIn, replica, clock, timers };
  const github = githubApi(ctx, { ...integration, ports: ports.github, emit: (event) => emitter.emit('github', event) });
  // Outgoing webhooks: the outbox save hook (registered here, so it runs in every save), the sender.
  const webhooks = webhooksApi(ctx, { ...integration, emit: (event) => emitter.emit('webhooks', event) });
  // Vercel: the namespace and the `release.monitor` job type; its build follower stops on close.
  // Its deploys, promotions and rollbacks are webhook events of the replica that made them.
  const vercel = vercelApi(ctx, { ...integration, ports: ports.vercel, emit: (event) => emitter.emit('vercel', event), recordWebhook: webhooks.record });
  const jobTypes = new JobTypes([...builtInJobTypes, github.syncJob, vercel.monitorJob, ...(ports.jobTypes ?? [])]);
  const scheduler = new Scheduler(ctx, {
    types: jobTypes,
    timers,
    clock,
    replica,
    dataDir: ports.dataDir,
    fetch: ports.fetch ?? fetch,
    emit: (event) => {
      emitter.emit('jobs', event);
      // A job's alert (failed after its retries, recovered) is also a webhook event of this replica.
      if (event.alert) void webhooks.jobAlert(event).catch((err: unknown) => logger.warn({ err }, 'webhooks: could not queue a job event'));
    },
  });
  const { api, handlers } = registerApi(ctx, {
    workspaces: workspacesApi(ctx),
    profile: profileApi(ctx),
    preferences: preferencesApi(ctx),
    members: membersApi(ctx),
    projects: projectsApi(ctx),
    stages: stagesApi(ctx),
    tasks: tasksApi(ctx),
    sync: syncApi(ctx, syncManager),
    files: filesApi(ctx),
    jobs: jobsApi(ctx, {
      types: jobTypes,
      scheduler,
      replica,
      clock,
      dataDir: ports.dataDir,
      roleIn,
    }),
    backups: backupsApi(ctx, {
      dataDir: ports.dataDir,
      replica,
      roleIn,
      lastRestore,
    }),
    github: github.handlers,
    webhooks: webhooks.handlers,
    vercel: vercel.handlers,
    events: {
      subscribe: (input, { caller }) => subscriptions.subscribe(input, caller),
      unsubscribe: (input, { caller }) => subscriptions.unsubscribe(input, caller),
    },
  });
  // Webhooks first: a teammate's change arriving at sync start, or a job's, is an event to deliver.
  await webhooks.start();
  // Builds followed before the last stop: their ends are webhook events, task marks, monitors.
  await vercel.start();
  await syncManager.startAll();
  await scheduler.start();
  await github.start();
  let closing: Promise<void> | null = null;
  const events: EventSource<ApiEvents> = {
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
  };
  return {
    api,
    handlers,
    events,
    serve: (transport, options = {}) => serve(handlers, transport, { events, eventNames, log: options.log, onEnd: (id) => syncManager.connectionEnded(id) }),
    connectionEnded: (id) => syncManager.connectionEnded(id),
    internals: { ...ctx, sync: syncManager, mutations, scheduler, webhooks: webhooks.sender },
    close() {
      closing ??= webhooks
        .close()
        .then(() => github.close())
        .then(() => vercel.close())
        .then(() => scheduler.close())
        .then(() => syncManager.close())
        .then(() => numbers.close())
        .then(() => mutations.idle())
        .then(() => docs.close())
        .finally(async () => {
          await closeDatabase();
          defaultMain?.close();
        });
      return closing;
    },
  };
}
