/**
 * What the API returns. Every value is JSON-safe: dates are ISO strings (`2026-11-22T10:00:00.000Z`),
 * calendar days are `YYYY-MM-DD`.
 */
import type { Role } from '../sync-protocol/roles';

export const projectStatuses = ['planning', 'in_progress', 'on_hold', 'completed'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const defaultStageNames = ['Backlog', 'Todo', 'In Progress', 'In Review', 'Done'] as const;

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
  /** The workspace the app shows; exactly one is current once any exists. */
  current: boolean;
}

export interface Profile {
  displayName: string;
}

/** Someone tasks can be assigned to. The local profile is a member of every workspace. */
export interface Member {
  id: string;
  workspaceId: string;
  name: string;
  color: string;
}

export interface Deliverable {
  id: string;
  text: string;
  done: boolean;
}

export interface Project {
  id: string;
  workspaceId: string;
  name: string;
  /** Short uppercase prefix of task keys, e.g. `WEB` → `WEB-12`. */
  key: string;
  description: string;
  status: ProjectStatus;
  clientName: string;
  startDate: string | null;
  endDate: string | null;
  deliverables: Deliverable[];
  notes: string;
  tags: string[];
  color: string;
  /** Personal: kept on this machine only, never synced. */
  favorite: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  taskCount: number;
  doneTaskCount: number;
}

/**
 * An edit of a long text (a description, notes): the text the person started from and what they
 * made of it. The core merges the difference into the text as it is now, so what teammates typed
 * meanwhile stays (a plain string instead replaces the whole value).
 */
export interface TextEdit {
  base: string;
  value: string;
}

export interface Stage {
  id: string;
  projectId: string;
  name: string;
  /** Fractional-index key; stages sort by it. */
  order: string;
  /** Whether tasks in this stage count as done (the last default stage, "Done"). */
  isDone: boolean;
}

export interface Task {
  id: string;
  projectId: string;
  workspaceId: string;
  number: number;
  /** `<project key>-<number>`, e.g. `WEB-12`. */
  key: string;
  title: string;
  description: string;
  stageId: string;
  /** Fractional-index key; tasks of a stage sort by it. */
  order: string;
  priority: Priority;
  assigneeIds: string[];
  labels: string[];
  dueDate: string | null;
  estimateHours: number | null;
  /** Whether the task's merged pull request is in production (Vercel), or was taken out again; null: not shipped. */
  deploy?: TaskDeploy | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * A task's shipping state (core/integrations/vercel/shipped.ts): `deployed` once a ready production
 * deployment holds its merged PR's commit; `rolled_back` when production no longer does (a rollback);
 * `failed` when the deploy that would have shipped it failed.
 */
export interface TaskDeploy {
  state: 'deployed' | 'rolled_back' | 'failed';
  environment: 'production';
  deploymentId: string;
  url: string;
  /** When it shipped (the deployment's ready time), or when it was taken out / failed. */
  at: string;
  /** The pull request that carried it: `owner/name#12`. */
  pull: string;
}

/** A board's first screen: the first tasks of each stage, and how many each stage has in all. */
export interface TaskWindow {
  /** Up to `perStage` tasks of each stage, in stage then board order (as `tasks.list` orders them). */
  tasks: Task[];
  /** Every live task per stage id, including those past the window. */
  stageCounts: Record<string, number>;
}

/** Relay roles: the one list lives in sync-protocol, which the relay reads too. */
export { roles, type Role } from '../sync-protocol/roles';

/** Team sync of one workspace. A workspace that was never joined or published is `local`. */
export type SyncState = 'local' | 'connecting' | 'connected' | 'offline' | 'error';

export interface SyncError {
  at: string;
  /** In words a person understands ("Nothing answers at ws://…: the relay is not running …"). */
  message: string;
}

export interface SyncStatus {
  workspaceId: string;
  state: SyncState;
  relayUrl: string | null;
  /** This machine's role in the workspace; `owner` for a local-only workspace. */
  role: Role;
  /** Local changes the relay has not confirmed yet (kept safely in the local log meanwhile). */
  pendingChanges: number;
  lastSyncedAt: string | null;
  /** The most recent problems, newest first. */
  errors: SyncError[];
}

/** A person in a synced workspace as Settings → Team sync lists them. */
export interface TeamMember {
  /** The member id (tasks are assigned to it). */
  id: string;
  name: string;
  color: string;
  /** From the relay; null where it does not know (a member who has not connected since it started recording, a local workspace). */
  role: Role | null;
  /** When their Groundwork last connected to or left the relay (ISO); null if never recorded. */
  lastSeenAt: string | null;
  /** This machine's own member. */
  isYou: boolean;
}

/** An invite (relay token) an owner or admin handed out. */
export interface TeamInvite {
  id: string;
  role: Role;
  /** What the inviter called it (e.g. the teammate's name); null if left empty. */
  name: string | null;
  /** The member who joined with it, by their current name; null while unused. */
  memberName: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

/** Someone else looking at the workspace right now. */
export interface Peer {
  clientId: number;
  name: string;
  color: string;
  projectId: string | null;
  taskId: string | null;
}

export interface Presence {
  workspaceId: string;
  peers: Peer[];
}

/** Who or what made a saved change: a person here, a teammate's replica, a scheduled job, Groundwork itself. */
export const originKinds = ['local', 'remote', 'job', 'system', 'migration'] as const;
export type OriginKind = (typeof originKinds)[number];

/**
 * One entry of an entity's change history, captured when the change was saved (local and remote
 * changes alike, so every replica has it and it survives compaction of the update log).
 */
export interface HistoryEntry {
  id: string;
  at: string;
  entity: 'project' | 'stage' | 'task';
  entityId: string;
  /** `WEB-12` for a task, the name for a project or stage, as it was after the change. */
  entityLabel: string;
  /** `created`: the entity appeared (field null); `changed`: one field went from oldValue to newValue. */
  action: 'created' | 'changed';
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  /** The member who made it; null for the system (renumbering) or a teammate whose member is unknown here. */
  actor: { id: string; name: string } | null;
  origin: OriginKind;
}

/** Scheduled jobs (core/jobs): what an execution went through, what started it, what a missed run does. */
export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const jobTriggers = ['schedule', 'manual', 'catch-up', 'retry'] as const;
export type JobTrigger = (typeof jobTriggers)[number];
/** After the app was closed or the machine asleep at a run time: nothing (`skip`) or one run (`run-once`), never a burst. */
export const jobCatchUpPolicies = ['skip', 'run-once'] as const;
export type JobCatchUp = (typeof jobCatchUpPolicies)[number];

export interface JobRetryPolicy {
  /** Attempts in all, the first included (1: no retry). */
  maxAttempts: number;
  /** The wait before the first retry; each further one doubles it (with jitter). */
  backoffSeconds: number;
}

/** A job definition: shared with the team through the workspace doc, with the summary its runner writes back. */
export interface Job {
  id: string;
  workspaceId: string;
  /** The project it belongs to (a client's audit), or null for the workspace. */
  projectId: string | null;
  name: string;
  /** A registered job type (`jobs.types`), e.g. `site.audit`. */
  type: string;
  /** The type's params (validated by its schema). */
  params: unknown;
  /** Five-field cron text (minute hour day-of-month month day-of-week), read in `timezone`. */
  schedule: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
  /** False while paused. */
  enabled: boolean;
  retry: JobRetryPolicy;
  timeoutSeconds: number;
  catchUp: JobCatchUp;
  /** The replica id of the one replica that schedules and runs it. */
  runner: string;
  /** Whether that replica is this one. */
  runsHere: boolean;
  lastRunAt: string | null;
  lastStatus: JobStatus | null;
  nextRunAt: string | null;
  /** Runs in a row that failed after their retries (0 after a success). */
  consecutiveFailures: number;
  /** The latest Run now asked for on another device, for the runner to serve (null: none yet). */
  runRequest: JobRunRequest | null;
  /** The run request the runner served last; the request is pending while its id differs from `runRequest`'s. */
  lastRunRequest: JobServedRunRequest | null;
  createdAt: string;
  updatedAt: string;
}

/** "Run now" pressed on a device that is not the job's runner: written into the job for the runner to serve. */
export interface JobRunRequest {
  id: string;
  /** The member who asked (null when unknown). */
  by: string | null;
  /** When it was asked (display only: which request is served is decided by id, never by clock). */
  at: string;
}

/** What the runner did with a run request: started a run, or recorded it `skipped` (one was going). */
export interface JobServedRunRequest {
  id: string;
  outcome: 'started' | 'skipped';
}

/**
 * What `jobs.runNow` answers: on the job's runner, the queued (or `skipped`) execution; on any
 * other device, the run request it sent (the runner runs it when the request reaches it, and
 * writes `lastRunRequest` and then the summary back into the job).
 */
export type JobRunNowResult = { execution: JobExecution } | { requested: { id: string; runner: string } };

export interface JobExecutionProgress {
  done: number;
  total: number | null;
  message: string | null;
}

/** One run of a job, kept on the replica that ran it (never synced). */
export interface JobExecution {
  id: string;
  jobId: string;
  workspaceId: string;
  status: JobStatus;
  trigger: JobTrigger;
  /** 1 for the first try, 2 for the first retry… */
  attempt: number;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Why it failed, was skipped, cancelled or interrupted, in words. */
  error: string | null;
  /** What the type returned (validated by its result schema); null until it succeeded. */
  result: unknown;
  progress: JobExecutionProgress | null;
}

export interface JobLogEntry {
  at: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** A schedule's next run times in its zone (ISO instants). */
export interface JobSchedulePreview {
  nextRuns: string[];
}

export interface JobTypeInfo {
  type: string;
  title: string;
}

/** A complete backup of the replica found in a folder (core/backups/README.md). */
export interface BackupInfo {
  /** Absolute path of the `.tar.gz`. */
  file: string;
  folder: string;
  /** ISO time the dump was taken. */
  createdAt: string;
  bytes: number;
  /**
   * How far it was checked: `size` — the file is complete and as long as its manifest says
   * (every listed backup is; partial and truncated ones are not listed). The checksum is checked
   * by `backups.restore` before anything changes.
   */
  verified: 'size';
  /** The backup job of this workspace that writes into its folder (on this machine), if any. */
  job: { id: string; name: string } | null;
  /** A safety backup: the replica as it was just before a restore (kept in the data dir's `backups/`). */
  safety: boolean;
}

/** `backups.restore`'s answer, sent before the core restarts to restore. */
export interface BackupRestoreStarted {
  /** Always true: the core closes now and the host starts it again on the restored replica. */
  restarting: true;
  file: string;
  /** Where the safety backup of the current data goes (the data dir's `backups/`), taken before the swap. */
  safetyFolder: string;
}

/** How the restore this core was started with went (`backups.lastRestore`). */
export interface BackupRestoreOutcome {
  file: string;
  /** ISO time the restore finished (or failed). */
  at: string;
  ok: boolean;
  /** The safety backup of what was replaced (null when it failed, or there was nothing to replace). */
  safetyBackup: string | null;
  /** Why it failed; the data is then as it was before the restore. */
  error: string | null;
}

/** The GitHub account this machine's person connected (`github.account`); each teammate connects their own. */
export interface GithubAccount {
  login: string;
  /** The token's OAuth scopes (`x-oauth-scopes`); empty for fine-grained tokens and GitHub App user tokens, which have none. */
  scopes: string[];
  /** As the latest GitHub response said (no request is spent to ask); null where GitHub did not say. */
  rateLimit: { remaining: number | null; resetAt: string | null };
  /** The API address: https://api.github.com or a GitHub Enterprise server's (…/api/v3). */
  baseUrl: string;
}

/** `github.startDeviceFlow`: what to show the person (the code) and where they enter it. */
export interface GithubDeviceFlowStart {
  userCode: string;
  verificationUri: string;
  /** Seconds to wait between `github.pollDeviceFlow` calls. */
  interval: number;
  /** Seconds until the code expires. */
  expiresIn: number;
}

/**
 * `github.pollDeviceFlow`: one poll of GitHub's token endpoint. The states are GitHub's own error
 * codes; `connected` once the person approved (the token is then sealed and stored).
 */
export type GithubDeviceFlowPoll =
  | { state: 'authorization_pending' | 'slow_down'; interval: number; message: string }
  | { state: 'expired_token' | 'access_denied'; message: string }
  | { state: 'connected'; account: GithubAccount };

export interface GithubRepo {
  /** `owner/name`, what `github.linkRepo` takes. */
  fullName: string;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  htmlUrl: string;
  defaultBranch: string | null;
}

/** A page of the person's repos (`github.repos`): GitHub's page `page`, filtered by `owner` and `search`. */
export interface GithubRepoPage {
  repos: GithubRepo[];
  page: number;
  /** The next page to ask for, or null after the last. */
  nextPage: number | null;
}

/** A repo linked to a project: shared state (every teammate sees it), each teammate reads it with their own token. */
export interface GithubRepoLink {
  id: string;
  workspaceId: string;
  projectId: string;
  /** `owner/name` as it was linked. */
  repo: string;
  /** The member who linked it. */
  linkedBy: string | null;
  createdAt: string;
}

/** A pull request's state as people talk of it: a draft, open (ready for review), merged, or closed unmerged. */
export type GithubPullState = 'draft' | 'open' | 'merged' | 'closed';
/** The latest decisive review: approved, changes requested, or waiting for one (null: no review asked or given). */
export type GithubReviewState = 'approved' | 'changes_requested' | 'review_required' | null;
/** The head commit's checks combined: any failure fails, any still running is pending (null: none ran). */
export type GithubChecksState = 'success' | 'failure' | 'pending' | null;

export interface GithubBranch {
  repo: string;
  name: string;
  sha: string;
  url: string;
  /** Tasks its name mentions (task keys, old keys too). */
  taskIds: string[];
}

export interface GithubCommit {
  repo: string;
  sha: string;
  /** The whole message; its first line is the title. */
  message: string;
  author: string | null;
  committedAt: string | null;
  url: string;
  taskIds: string[];
}

export interface GithubPull {
  repo: string;
  number: number;
  title: string;
  state: GithubPullState;
  author: string | null;
  headRef: string;
  baseRef: string;
  url: string;
  reviewState: GithubReviewState;
  checks: GithubChecksState;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  /** Tasks its title, body or branch mentions. */
  taskIds: string[];
}

export interface GithubWorkflowRun {
  repo: string;
  id: number;
  name: string;
  /** What started it: push, pull_request, workflow_dispatch… */
  event: string;
  /** queued, in_progress, completed… (GitHub's words). */
  status: string;
  /** success, failure, cancelled… once completed; null while running. */
  conclusion: string | null;
  headBranch: string | null;
  headSha: string;
  url: string;
  createdAt: string;
  taskIds: string[];
}

export interface GithubDeployment {
  repo: string;
  id: number;
  environment: string;
  ref: string;
  sha: string;
  /** Its latest status (pending, in_progress, success, failure, error, inactive…); null before the first. */
  state: string | null;
  /** Where it runs (the environment's URL) or its log, when GitHub has one. */
  url: string | null;
  createdAt: string;
  taskIds: string[];
}

/** `github.repo`: what this replica last fetched of a repo (a local cache, read with this person's token). */
export interface GithubRepoView {
  repo: string;
  htmlUrl: string;
  /** What workflows and deployments start from unless told otherwise; null before the first sync. */
  defaultBranch: string | null;
  /** When this replica last synced it (null: never), and what went wrong the last time, if it did. */
  syncedAt: string | null;
  error: string | null;
  branches: GithubBranch[];
  /** The newest commits of the default branch. */
  commits: GithubCommit[];
  /** Open pull requests (most recently updated first), then the 20 closed or merged most recently. */
  pulls: GithubPull[];
  runs: GithubWorkflowRun[];
  deployments: GithubDeployment[];
}

/** A task moved by a pull request (`onMerge`: to done; `onOpen`: to review), shared with the team, undoable. */
export interface GithubTaskMove {
  id: string;
  taskId: string;
  repo: string;
  pull: number;
  pullUrl: string;
  pullTitle: string;
  rule: 'onMerge' | 'onOpen';
  fromStageId: string | null;
  toStageId: string;
  at: string;
  /** When someone undid it (the task went back to `fromStageId`); a later sync never repeats an undone move. */
  undoneAt: string | null;
}

/** A task's code (`github.taskLinks`): what mentions it, with its state as the last sync saw it. */
export interface GithubTaskLinks {
  taskId: string;
  branches: GithubBranch[];
  commits: GithubCommit[];
  pulls: GithubPull[];
  /** GitHub issues made from the task (`github.createIssue`). */
  issues: { repo: string; number: number; title: string; url: string; state: string }[];
  moves: GithubTaskMove[];
}

/** One repo's sync (`github.syncNow`, and the `github.sync` job's result). */
export interface GithubRepoSync {
  repo: string;
  ok: boolean;
  /** GitHub's failure in words, with what to do (when `ok` is false). */
  error: string | null;
  /** Requests sent, of which answered 304 from the cache (those cost no quota), and the quota spent. */
  requests: number;
  notModified: number;
  quotaSpent: number;
  branches: number;
  commits: number;
  pulls: number;
  runs: number;
  deployments: number;
  /** Task links added or changed, and tasks moved, by this sync (on the job's runner only). */
  links: number;
  moves: number;
  ms: number;
}

/** What the rules of a project are (`github.projectRules`): which stage a merged PR and an opened PR move tasks to. */
export interface GithubProjectRules {
  projectId: string;
  /** A merged PR saying `fixes|closes|resolves KEY`: the task goes to `stageId` (null: the project's first done stage). */
  onMerge: { enabled: boolean; stageId: string | null };
  /** A PR opened (not a draft) for a task: the task goes to `stageId` (null: a stage named like "review"; none: no move). */
  onOpen: { enabled: boolean; stageId: string | null };
}

export type GithubActionKind = 'branch' | 'issue' | 'workflow' | 'deployment';
/**
 * An action's life in the offline queue: `queued` (waiting: offline, GitHub failing, or its
 * back-off), `sending` (a request is out), `done`, `failed` (GitHub refused it: its message
 * says why; retry after fixing), `cancelled`.
 */
export type GithubActionState = 'queued' | 'sending' | 'done' | 'failed' | 'cancelled';

/** An action on GitHub taken from the app (`github.queue`): kept durably until GitHub has it, sent once. */
export interface GithubAction {
  id: string;
  workspaceId: string;
  kind: GithubActionKind;
  repo: string;
  taskId: string | null;
  /** What was asked (the branch name and base, the issue title, the workflow, ref and inputs…). */
  input: Record<string, unknown>;
  state: GithubActionState;
  attempts: number;
  /** When it is tried again (queued after a failure). */
  nextAttemptAt: string | null;
  /** The last failure, in words. */
  error: string | null;
  /** What GitHub made: its URL and number or name (done only). */
  result: { url: string | null; number?: number; ref?: string; id?: number } | null;
  createdAt: string;
  updatedAt: string;
}

/** A workflow that can be run by hand (`workflow_dispatch`), for the Deploy dialog. */
export interface GithubWorkflow {
  id: number;
  name: string;
  /** Its file name (`deploy.yml`), what `dispatchWorkflow` takes. */
  file: string;
  state: string;
  url: string;
}

/**
 * Outgoing webhooks (core/webhooks/README.md, docs/WEBHOOKS.md). Event type names are dotted;
 * `deploy.*` are the Vercel integration's (core/integrations/vercel/deploy-events.ts).
 */
export const webhookEventTypes = [
  'task.created',
  'task.updated',
  'task.moved',
  'task.deleted',
  'project.created',
  'project.updated',
  'project.deleted',
  'job.failed',
  'job.recovered',
  'github.pr.merged',
  'deploy.started',
  'deploy.ready',
  'deploy.failed',
  'deploy.promoted',
  'deploy.rolled_back',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
/** The type of `webhooks.sendTest`'s event: sent to the one endpoint asked, whatever it subscribes to. */
export const webhookTestEventType = 'webhook.test';

/** A workspace's webhook endpoint (shared state); its secret is never part of it (see `WebhookEndpointCreated`). */
export interface WebhookEndpoint {
  id: string;
  workspaceId: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** Why Groundwork turned it off (a 410, failures through the whole retry window); null when a person did or it is on. */
  disabledReason: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** This device holds the endpoint's signing secret, so it delivers (its own changes) to it. */
  deliversHere: boolean;
}

/** `create` and `rotateSecret` only: the endpoint with its signing secret (`whsec_…`), shown once. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export type WebhookDeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed';

/** One event to one endpoint, as its last attempt left it (the delivery log). */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  workspaceId: string;
  /** The `webhook-id` header: the same for every attempt and redelivery (receivers dedupe by it). */
  webhookId: string;
  eventType: string;
  /** Attempts made so far (a redelivery counts on). */
  attempt: number;
  status: WebhookDeliveryStatus;
  /** The receiver's HTTP status of the last attempt; null when none came (timeout, refused). */
  responseStatus: number | null;
  /** The first 1 KB of the receiver's last answer. */
  responseExcerpt: string | null;
  /** The last failure, in words. */
  error: string | null;
  durationMs: number | null;
  /** What was sent: the URL and the JSON body (`{ type, timestamp, workspaceId, data }`). */
  request: { url: string; body: string };
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** Who is connected to Vercel on this machine (`vercel.account`): answered from what the connect read. */
export interface VercelAccount {
  /** Vercel's user id and username (GET /v2/user). */
  userId: string;
  username: string;
  name: string | null;
  email: string;
  /** The team calls act for (`teamId` on every request), or null: the person's own account. */
  teamId: string | null;
  /** The API address: https://api.vercel.com, or a test server's. */
  baseUrl: string;
}

/** A Vercel project the connected account can see (`vercel.projects`), with the Groundwork projects linked to it. */
export interface VercelProject {
  id: string;
  name: string;
  framework: string | null;
  /** The git repo it deploys from (`owner/name`), when Vercel says. */
  repo: string | null;
  /** Groundwork projects of the current workspace linked to it. */
  linkedProjectIds: string[];
}

/** A Vercel project linked to a Groundwork project (shared with the team, in the workspace doc). */
export interface VercelLink {
  id: string;
  workspaceId: string;
  projectId: string;
  vercelProjectId: string;
  vercelProjectName: string;
  /** The git repo the Vercel project deploys (`owner/name`), when Vercel said. */
  repo: string | null;
  /** The replica that marks the project's tasks deployed (the one that linked it). */
  runner: string;
  linkedBy: string | null;
  createdAt: string;
}

/** Vercel's deployment states in words: BUILDING/INITIALIZING/QUEUED are `building`. */
export const vercelDeploymentStates = ['building', 'ready', 'error', 'canceled'] as const;
export type VercelDeploymentState = (typeof vercelDeploymentStates)[number];

export interface VercelDeployment {
  id: string;
  /** The deployment's own URL (https://…vercel.app). */
  url: string;
  vercelProjectId: string;
  state: VercelDeploymentState;
  /** production or preview (Vercel's `target` null is a preview). */
  target: 'production' | 'preview';
  /** The git branch and commit it was built from, when Vercel says. */
  ref: string | null;
  commitSha: string | null;
  commitMessage: string | null;
  /** Who made it (Vercel username, else uid). */
  creator: string;
  createdAt: string;
  readyAt: string | null;
  /** Vercel's message when the build failed. */
  errorMessage: string | null;
  /** Whether production serves it now (the project's `targets.production`); null where not asked (`deployment`). */
  servesProduction: boolean | null;
}

/** One line of a deployment's build log (`vercel.events`). */
export interface VercelBuildEvent {
  /** Vercel's event type: command, stdout, stderr, exit, delimiter, deployment-state, … */
  type: string;
  createdAt: string;
  text: string;
  /** stderr lines and lines saying `Error` — what a failed build shows first. */
  isError: boolean;
}

export interface VercelEvents {
  deploymentId: string;
  state: VercelDeploymentState;
  events: VercelBuildEvent[];
  /** The log's error lines (a failed build's reason), in order. */
  errorLines: string[];
}

/** `vercel.rollback` / `vercel.promote`: what production is now and what it was. */
export interface VercelProductionChange {
  projectId: string;
  /** The deployment production now serves. */
  deploymentId: string;
  /** The production deployment it replaced, when known. */
  previousDeploymentId: string | null;
  /** Vercel answered 202: the change waits behind a rolling release. */
  queued: boolean;
}

/** Release health of a production deployment since it was made (`vercel.health`). */
export interface VercelHealth {
  deploymentId: string;
  /** unknown: no checks yet; down: the latest check failed; degraded: some failed or p95 is slow. */
  status: 'ok' | 'degraded' | 'down' | 'unknown';
  checks: number;
  failures: number;
  /** failures / checks, 0..1; 0 with no checks. */
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  lastCheckAt: string | null;
  lastError: string | null;
  /** The automatic rollback this deployment's failures caused, if one did. */
  rolledBackTo: string | null;
}
