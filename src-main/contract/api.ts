/**
 * The one API contract. The core implements it (one handlers object per namespace, `satisfies`
 * its namespace here); the renderer calls it through a typed RPC client. Methods take one input
 * object and return a promise of a JSON-safe value.
 */
import type { EventName, Subscription } from './events';
import type { GithubAccount, GithubAction, GithubDeviceFlowPoll, GithubDeviceFlowStart, GithubProjectRules, GithubRepoLink, GithubRepoPage, GithubRepoSync, GithubRepoView, GithubTaskLinks, GithubTaskMove, GithubWorkflow, BackupInfo, BackupRestoreOutcome, BackupRestoreStarted, HistoryEntry, Job, JobExecution, JobLogEntry, JobRunNowResult, JobSchedulePreview, JobTypeInfo, Member, Presence, Profile, Project, Stage, SyncStatus, Task, TaskWindow, TeamInvite, TeamMember, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret, Workspace, VercelAccount, VercelDeployment, VercelEvents, VercelHealth, VercelLink, VercelProductionChange, VercelProject } from './models';
import type { InputOf, Inputs } from './schemas';

type In<NS extends keyof Inputs, M extends keyof Inputs[NS]> = InputOf<NS, M>;

export interface Api {
  workspaces: {
    list(input?: In<'workspaces', 'list'>): Promise<Workspace[]>;
    /** The current workspace, or null before the first one exists. */
    current(input?: In<'workspaces', 'current'>): Promise<Workspace | null>;
    create(input: In<'workspaces', 'create'>): Promise<Workspace>;
    rename(input: In<'workspaces', 'rename'>): Promise<Workspace>;
    switch(input: In<'workspaces', 'switch'>): Promise<Workspace>;
  };
  profile: {
    get(input?: In<'profile', 'get'>): Promise<Profile>;
    update(input: In<'profile', 'update'>): Promise<Profile>;
  };
  /**
   * This machine's local preferences (never synced): theme, the last workspace place, a
   * project's filters and sorting. What survives a restart of the app on the same data dir.
   */
  preferences: {
    /** The stored value, or null when none was set. */
    get(input: In<'preferences', 'get'>): Promise<unknown>;
    set(input: In<'preferences', 'set'>): Promise<void>;
  };
  members: {
    list(input: In<'members', 'list'>): Promise<Member[]>;
    create(input: In<'members', 'create'>): Promise<Member>;
  };
  projects: {
    /** Favorites first, then by name. */
    list(input: In<'projects', 'list'>): Promise<Project[]>;
    get(input: In<'projects', 'get'>): Promise<Project>;
    /** Also creates the default workflow stages. */
    create(input: In<'projects', 'create'>): Promise<Project>;
    /** Only the given fields change; `description` and `notes` take a string (the whole new text) or a TextEdit `{ base, value }`, merged with teammates' typing. */
    update(input: In<'projects', 'update'>): Promise<Project>;
    archive(input: In<'projects', 'archive'>): Promise<Project>;
    unarchive(input: In<'projects', 'unarchive'>): Promise<Project>;
    /** Removes the project and its tasks from every replica. */
    delete(input: In<'projects', 'delete'>): Promise<{ id: string }>;
    setFavorite(input: In<'projects', 'setFavorite'>): Promise<Project>;
    /** Changes to the project, its stages and its tasks, newest first. */
    history(input: In<'projects', 'history'>): Promise<HistoryEntry[]>;
  };
  stages: {
    /** In board order. */
    list(input: In<'stages', 'list'>): Promise<Stage[]>;
    create(input: In<'stages', 'create'>): Promise<Stage>;
    rename(input: In<'stages', 'rename'>): Promise<Stage>;
    move(input: In<'stages', 'move'>): Promise<Stage>;
    /** Moves the stage's tasks to `moveTasksTo` (to its end, in their order) and removes the stage. */
    remove(input: In<'stages', 'remove'>): Promise<{ id: string; movedTaskIds: string[] }>;
  };
  tasks: {
    /**
     * A project's tasks, in stage then board order; or one stage's (`stageId`), read in pages with
     * `limit` and `after` (the last task of the previous page). Each page is read at its own
     * moment: a task moved between two pages' reads can show in both or in neither, and its
     * change event names it.
     */
    list(input: In<'tasks', 'list'>): Promise<Task[]>;
    /**
     * The first `perStage` live tasks of each stage with every stage's count: what a big project's
     * Board and List show first, in a fraction of the time the whole `list` takes.
     */
    firstWindow(input: In<'tasks', 'firstWindow'>): Promise<TaskWindow>;
    get(input: In<'tasks', 'get'>): Promise<Task>;
    /** The tasks that exist of `ids`, deleted ones included (a view refreshing after an event). */
    getMany(input: In<'tasks', 'getMany'>): Promise<Task[]>;
    create(input: In<'tasks', 'create'>): Promise<Task>;
    /** Only the given fields change; `description` takes a string (the whole new text) or a TextEdit `{ base, value }`, merged with teammates' typing. */
    update(input: In<'tasks', 'update'>): Promise<Task>;
    /** To another stage and/or position; `afterId`/`beforeId` are neighbours in the target stage. */
    move(input: In<'tasks', 'move'>): Promise<Task>;
    /** Soft delete: the task keeps its data and can be restored. */
    delete(input: In<'tasks', 'delete'>): Promise<Task>;
    restore(input: In<'tasks', 'restore'>): Promise<Task>;
    /**
     * Deletes a task in the trash (deleted) for good: it leaves the project doc, so every replica
     * drops it too. A task not in the trash is refused (CONFLICT): delete it first.
     */
    purge(input: In<'tasks', 'purge'>): Promise<{ id: string }>;
    /** The task's changes, newest first, with who made them. */
    history(input: In<'tasks', 'history'>): Promise<HistoryEntry[]>;
  };
  sync: {
    status(input: In<'sync', 'status'>): Promise<SyncStatus>;
    join(input: In<'sync', 'join'>): Promise<Workspace>;
    publish(input: In<'sync', 'publish'>): Promise<SyncStatus>;
    leave(input: In<'sync', 'leave'>): Promise<{ workspaceId: string }>;
    /** Owners and admins: an invite for a teammate, minted by the relay. */
    createInvite(input: In<'sync', 'createInvite'>): Promise<{ invite: string }>;
    setPresence(input: In<'sync', 'setPresence'>): Promise<void>;
    presence(input: In<'sync', 'presence'>): Promise<Presence>;
    members(input: In<'sync', 'members'>): Promise<TeamMember[]>;
    /** FORBIDDEN for members and viewers. */
    invites(input: In<'sync', 'invites'>): Promise<TeamInvite[]>;
    /** FORBIDDEN for members and viewers; NOT_FOUND for an invite not of this workspace. */
    revokeInvite(input: In<'sync', 'revokeInvite'>): Promise<TeamInvite[]>;
  };
  /**
   * The person's files, through the host: what only a desktop window can ask (a folder dialog).
   * Where the host has no dialog (the web host, plain Node) the answer is null, as if cancelled,
   * and the renderer keeps a path field the person types into.
   */
  files: {
    /** Asks for a folder (Electron's dialog in the main process); null when cancelled or where no dialog exists. */
    chooseFolder(input?: In<'files', 'chooseFolder'>): Promise<{ path: string | null }>;
  };
  /**
   * Scheduled jobs (core/jobs/README.md). Definitions are shared through the workspace doc; one
   * replica, the runner, schedules and runs each job and keeps its executions. Owners and admins
   * create, edit, delete and take over; members also run now and cancel; viewers read.
   */
  jobs: {
    /** A workspace's jobs (or one project's), by name. */
    list(input: In<'jobs', 'list'>): Promise<Job[]>;
    get(input: In<'jobs', 'get'>): Promise<Job>;
    /** This replica becomes its runner. */
    create(input: In<'jobs', 'create'>): Promise<Job>;
    update(input: In<'jobs', 'update'>): Promise<Job>;
    delete(input: In<'jobs', 'delete'>): Promise<{ id: string }>;
    pause(input: In<'jobs', 'pause'>): Promise<Job>;
    resume(input: In<'jobs', 'resume'>): Promise<Job>;
    /** "Run on this device": the runner becomes this replica (a doc change; the old runner stops once it sees it). */
    takeOver(input: In<'jobs', 'takeOver'>): Promise<Job>;
    /**
     * Run now. On the job's runner: queues a manual run here and resolves with `{ execution }` (the
     * queued execution, `skipped` if one is running). On another device: writes a run request into
     * the job (a doc change, synced through the relay) and resolves with `{ requested: { id, runner } }`;
     * the runner serves each request once, when it sees it (README: run requests). Viewers: FORBIDDEN.
     */
    runNow(input: In<'jobs', 'runNow'>): Promise<JobRunNowResult>;
    /** Stops a queued or running execution (it ends `cancelled`). */
    cancel(input: In<'jobs', 'cancel'>): Promise<JobExecution>;
    /** This replica's executions of the job, newest first. */
    executions(input: In<'jobs', 'executions'>): Promise<JobExecution[]>;
    /** One execution with its typed result. */
    execution(input: In<'jobs', 'execution'>): Promise<JobExecution>;
    /** An execution's log, oldest first. */
    log(input: In<'jobs', 'log'>): Promise<JobLogEntry[]>;
    /**
     * An image the execution kept (an audit's screenshot) as a data URL: `path` relative to the
     * execution's files folder or absolute inside it; FORBIDDEN for anything outside that folder.
     */
    file(input: In<'jobs', 'file'>): Promise<{ dataUrl: string }>;
    /** The next 5 run times of a schedule in a zone; VALIDATION naming the bad part otherwise. */
    preview(input: In<'jobs', 'preview'>): Promise<JobSchedulePreview>;
    /** What a run with these params would produce first (the type's own preview), or null for types without one. */
    previewParams(input: In<'jobs', 'previewParams'>): Promise<unknown>;
    /** The registered job types. */
    types(input?: In<'jobs', 'types'>): Promise<JobTypeInfo[]>;
  };
  /**
   * Backups of this machine's replica and restoring one (core/backups/README.md). Owners and
   * admins of the workspace only (FORBIDDEN otherwise): a restore replaces this machine's copy of
   * every workspace on it. What a restore means in a synced workspace: the relay then brings back
   * every change this copy has not seen, so it recovers what never reached the relay.
   */
  backups: {
    /** Complete backups in `folder`, or in this machine's backup-job folders plus the safety backups; newest first. */
    list(input: In<'backups', 'list'>): Promise<BackupInfo[]>;
    /**
     * Checks the backup (its checksum and that this build can open it) while the app still runs —
     * VALIDATION naming `file` if it is damaged, NOT_FOUND if it is not a listed backup — then asks
     * the host to restart the core, which takes a safety backup of the current data and swaps the
     * replica before opening it. Resolves before the restart; connections then drop and reconnect.
     * CONFLICT while a restore is already under way; UNAVAILABLE where the host cannot restart the
     * core (an in-memory core).
     */
    restore(input: In<'backups', 'restore'>): Promise<BackupRestoreStarted>;
    /** The restore this core was started with (after a `restore` and the restart), or null. */
    lastRestore(input?: In<'backups', 'lastRestore'>): Promise<BackupRestoreOutcome | null>;
  };
  /**
   * GitHub (core/integrations/github/README.md). The connection is this machine's person's own
   * (a token sealed by main, kept in local settings, never synced); repo links are shared with the
   * team. `baseUrl` reaches a GitHub Enterprise server.
   */
  github: {
    /**
     * Checks the token with GET /user and stores it (sealed) only if GitHub accepts it; a refused
     * token is VALIDATION naming `token`, saying what to do. Replaces an earlier connection.
     */
    connectToken(input: In<'github', 'connectToken'>): Promise<GithubAccount>;
    /**
     * Starts GitHub's OAuth device flow (client id: the input, else the `github-client-id`
     * preference, else GROUNDWORK_GITHUB_CLIENT_ID; none is VALIDATION naming `clientId`) and opens
     * the verification page in the browser. Show `userCode`; then call `pollDeviceFlow` every `interval` seconds.
     */
    startDeviceFlow(input: In<'github', 'startDeviceFlow'>): Promise<GithubDeviceFlowStart>;
    /**
     * One poll of the flow started last: `authorization_pending` (keep waiting), `slow_down` (the
     * new, longer `interval`), `expired_token` / `access_denied` (the flow is over: start again),
     * or `connected`. CONFLICT when no flow was started.
     */
    pollDeviceFlow(input?: In<'github', 'pollDeviceFlow'>): Promise<GithubDeviceFlowPoll>;
    /** Who is connected and the token's scopes, with the rate limit GitHub reported last; null when not connected. */
    account(input?: In<'github', 'account'>): Promise<GithubAccount | null>;
    /** Removes the stored token (this machine only). */
    disconnect(input?: In<'github', 'disconnect'>): Promise<void>;
    /** The person's and their organisations' repos, a GitHub page at a time (UNAVAILABLE when not connected). */
    repos(input?: In<'github', 'repos'>): Promise<GithubRepoPage>;
    /**
     * "Copy branch name": the task's branch name by the `github-branch-pattern` preference
     * (`{user}`, `{key}`, `{title}`; default `{user}/{key}-{title}`): `ana/web-42-fix-the-login`.
     * `{user}` is the connected GitHub login, else this person's display name. A stored pattern
     * git cannot use is VALIDATION naming `pattern`.
     */
    branchName(input: In<'github', 'branchName'>): Promise<{ branchName: string; pattern: string }>;
    /** The repos linked to a project, by name. */
    links(input: In<'github', 'links'>): Promise<GithubRepoLink[]>;
    /** Links `owner/name` to the project (shared; linking it again changes nothing). Owners, admins and members; viewers FORBIDDEN. */
    linkRepo(input: In<'github', 'linkRepo'>): Promise<GithubRepoLink>;
    /** Removes the link (NOT_FOUND when there is none). Owners, admins and members. */
    unlinkRepo(input: In<'github', 'unlinkRepo'>): Promise<{ projectId: string; repo: string }>;
    /** What this replica last fetched of a repo: branches, commits, pulls, workflow runs, deployments, each with the tasks it mentions. */
    repo(input: In<'github', 'repo'>): Promise<GithubRepoView>;
    /**
     * Syncs the project's linked repos now (conditional requests: unchanged pages cost no quota).
     * On the repos' `github.sync` job runner this also writes task links and moves; elsewhere it
     * refreshes this replica's cache only. UNAVAILABLE when GitHub is not connected.
     */
    syncNow(input: In<'github', 'syncNow'>): Promise<GithubRepoSync[]>;
    /** The task's branches, commits, pull requests and issues, and the moves pull requests made. */
    taskLinks(input: In<'github', 'taskLinks'>): Promise<GithubTaskLinks>;
    /** Which stages merged and opened pull requests move the project's tasks to. */
    projectRules(input: In<'github', 'projectRules'>): Promise<GithubProjectRules>;
    /** Changes them (shared; owners, admins and members). A stage of another project is VALIDATION naming `onMerge.stageId`. */
    setProjectRules(input: In<'github', 'setProjectRules'>): Promise<GithubProjectRules>;
    /** Puts the task back where the move found it (if it is still where the move put it); a later sync never repeats it. */
    undoMove(input: In<'github', 'undoMove'>): Promise<GithubTaskMove>;
    /** Creates the task's branch (`branchName`) from `from` (default: the repo's default branch). Queued when GitHub cannot be reached. */
    createBranch(input: In<'github', 'createBranch'>): Promise<GithubAction>;
    /** Creates a GitHub issue from the task (title, description, a link back); the task then lists it. Queued when GitHub cannot be reached. */
    createIssue(input: In<'github', 'createIssue'>): Promise<GithubAction>;
    /** Runs a `workflow_dispatch` workflow on `ref` with `inputs`. The repo must be linked to a project. Queued when GitHub cannot be reached. */
    dispatchWorkflow(input: In<'github', 'dispatchWorkflow'>): Promise<GithubAction>;
    /** Creates a deployment of `ref` to `environment` (the Deployments API). Queued when GitHub cannot be reached. */
    createDeployment(input: In<'github', 'createDeployment'>): Promise<GithubAction>;
    /** The repo's workflows that can be run by hand (`workflow_dispatch`). */
    workflows(input: In<'github', 'workflows'>): Promise<GithubWorkflow[]>;
    /** This machine's GitHub actions for the workspace, newest first: queued, sending, done, failed, cancelled. */
    queue(input: In<'github', 'queue'>): Promise<GithubAction[]>;
    /** Sends a queued or failed action again now. CONFLICT when it is done, cancelled or being sent. */
    retryQueued(input: In<'github', 'retryQueued'>): Promise<GithubAction>;
    /** Cancels a queued or failed action. CONFLICT when it is being sent or done. */
    cancelQueued(input: In<'github', 'cancelQueued'>): Promise<GithubAction>;
  };
  /**
   * Outgoing webhooks (core/webhooks/README.md, docs/WEBHOOKS.md): a workspace's endpoints are
   * shared state, managed by owners and admins (FORBIDDEN otherwise). The signing secret lives,
   * sealed, on the device that created (or last rotated) it; that device signs and delivers.
   */
  webhooks: {
    /** Adds an endpoint; the answer carries its secret (`whsec_…`), the only time besides `rotateSecret`. */
    create(input: In<'webhooks', 'create'>): Promise<WebhookEndpointWithSecret>;
    list(input: In<'webhooks', 'list'>): Promise<WebhookEndpoint[]>;
    /** Changes the URL, events, description or turns it on/off (turning it on clears `disabledReason`). */
    update(input: In<'webhooks', 'update'>): Promise<WebhookEndpoint>;
    /** Deletes it; its queued deliveries on this device are dropped. */
    delete(input: In<'webhooks', 'delete'>): Promise<{ id: string }>;
    /** A new secret, kept here; the old one keeps signing beside it for 24 hours (both signatures sent). */
    rotateSecret(input: In<'webhooks', 'rotateSecret'>): Promise<WebhookEndpointWithSecret>;
    /** The endpoint's delivery log on this device, newest first. */
    deliveries(input: In<'webhooks', 'deliveries'>): Promise<WebhookDelivery[]>;
    /** Queues one delivery again (`deliveryId`) or every failed one of an endpoint (`endpointId`); same `webhook-id`. */
    redeliver(input: In<'webhooks', 'redeliver'>): Promise<WebhookDelivery[]>;
    /** Queues a `webhook.test` event to the endpoint (also when it subscribes to nothing of the kind). */
    sendTest(input: In<'webhooks', 'sendTest'>): Promise<WebhookDelivery>;
  };
  /**
   * Vercel (core/integrations/vercel/README.md). The token is this machine's person's own (sealed by
   * main, local settings); links of Vercel projects to projects are shared with the team.
   */
  vercel: {
    /** Checks the token with GET /v2/user (and the team, when given) before storing it sealed; a refused token is VALIDATION naming `token`. */
    connect(input: In<'vercel', 'connect'>): Promise<VercelAccount>;
    /** Who is connected (no request spent); null when not connected. */
    account(input?: In<'vercel', 'account'>): Promise<VercelAccount | null>;
    /** Forgets the token (this machine only). */
    disconnect(input?: In<'vercel', 'disconnect'>): Promise<void>;
    /** The account's (or team's) Vercel projects, each with the current workspace's projects linked to it. */
    projects(input?: In<'vercel', 'projects'>): Promise<VercelProject[]>;
    /** Links a Vercel project to the project (shared; asks Vercel for its name first: 404 is NOT_FOUND). Viewers FORBIDDEN. */
    linkProject(input: In<'vercel', 'linkProject'>): Promise<VercelLink>;
    /** The linked Vercel project's deployments, newest first (VALIDATION naming `projectId` when none is linked). */
    deployments(input: In<'vercel', 'deployments'>): Promise<VercelDeployment[]>;
    deployment(input: In<'vercel', 'deployment'>): Promise<VercelDeployment>;
    /** The build log; while it builds, new lines also arrive as `vercel` events. */
    events(input: In<'vercel', 'events'>): Promise<VercelEvents>;
    /** Deploys the linked repo's `ref` to production (a branch) and follows the build. */
    deploy(input: In<'vercel', 'deploy'>): Promise<VercelDeployment>;
    /** Promotes a ready preview to production. */
    promote(input: In<'vercel', 'promote'>): Promise<VercelProductionChange>;
    /** Rolls production back to an earlier ready production deployment. Two at once for a project are one. */
    rollback(input: In<'vercel', 'rollback'>): Promise<VercelProductionChange>;
    /** Release health since the deployment was made, from the release monitor's checks on this machine. */
    health(input: In<'vercel', 'health'>): Promise<VercelHealth>;
  };
  /** This connection's event subscriptions (answered by the RPC layer: they belong to the connection). */
  events: EventsApi;
}

/** What every served contract offers its connections: events by subscription. */
export interface EventsApi<E extends string = EventName> {
  /** From now on this connection receives `event` (for one workspace, or all). Returns every subscription it holds. */
  subscribe(input: Subscription<E>): Promise<Subscription<E>[]>;
  unsubscribe(input: Subscription<E>): Promise<Subscription<E>[]>;
}

export type Namespace = keyof Api;
export type MethodName = { [NS in Namespace]: `${NS}.${Extract<keyof Api[NS], string>}` }[Namespace];
