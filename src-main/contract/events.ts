import type { GithubAction, GithubRepoSync, JobExecution, Presence, SyncStatus, VercelBuildEvent, VercelDeploymentState, WebhookDelivery } from './models';

/** Pushed by the core after a change is durable in the local replica. */
export const entityKinds = ['workspace', 'profile', 'member', 'project', 'stage', 'task', 'job', 'githubLink', 'githubTaskLink', 'githubMove', 'webhookEndpoint', 'vercelLink'] as const;
export type EntityKind = (typeof entityKinds)[number];

export interface ChangeEvent {
  /** Workspace the change belongs to; null for machine-wide things (the profile, the workspace list). */
  workspaceId: string | null;
  projectId: string | null;
  entity: EntityKind;
  /** Ids of the changed entities: views re-read only these, never the whole list. */
  ids: string[];
  /**
   * The call that made the change, when one did (a person's edit through the API). The connection
   * that made it receives the event with its reply instead (see `ReplyMessage.changes`).
   */
  cause?: { connectionId: string; callId: number };
}

/** Something to tell the person (a job finished, a deploy failed); the web host shows it in the page. */
export interface Notification {
  title: string;
  body: string;
}

/**
 * An execution of a scheduled job changed (queued, started, progressed, finished) on this machine,
 * which runs the job. Job definitions and their summaries change through `changed` (entity `job`).
 */
export interface JobEvent {
  workspaceId: string;
  jobId: string;
  execution: JobExecution;
  /** Set once per streak: the job failed after its retries (`failed`), or succeeded again after failing (`recovered`). */
  alert?: 'failed' | 'recovered';
}

/**
 * GitHub on this machine: an action of the offline queue changed state (queued, sending, done,
 * failed, cancelled), or a linked repo was synced (this replica's cache changed: re-read views).
 */
export type GithubEvent =
  | { workspaceId: string; kind: 'action'; action: GithubAction }
  | { workspaceId: string; kind: 'synced'; projectId: string; sync: GithubRepoSync };

/**
 * Vercel on this machine: new build log lines (and the state) of a deployment being followed while
 * it builds (core/integrations/vercel/build-follow.ts); the last one has a final state.
 */
export interface VercelEvent {
  workspaceId: string;
  projectId: string;
  kind: 'build';
  deploymentId: string;
  state: VercelDeploymentState;
  events: VercelBuildEvent[];
}

export interface ApiEvents {
  changed: ChangeEvent;
  /** A workspace's sync status changed (state, pending count, errors). */
  sync: SyncStatus;
  /** Who else is viewing what in a workspace. */
  presence: Presence;
  /** A notification for the page to show (where no OS notification centre is reached: the web host). */
  notification: Notification;
  /** A job execution's status or progress, as it happens. */
  jobs: JobEvent;
  /** GitHub actions and syncs on this machine. */
  github: GithubEvent;
  /** A webhook delivery of this device changed (queued, sent, failed): the delivery log re-reads it. */
  webhooks: WebhookEvent;
  /** A followed Vercel build's new log lines and state. */
  vercel: VercelEvent;
}

export interface WebhookEvent {
  workspaceId: string;
  endpointId: string;
  /** A batch of one endpoint's deliveries that changed state on this device (claimed, or answered). */
  deliveries: WebhookDelivery[];
}
export type EventName = keyof ApiEvents;
export const eventNames = ['changed', 'sync', 'presence', 'notification', 'jobs', 'github', 'webhooks', 'vercel'] as const satisfies readonly EventName[];

/**
 * Events are delivered by subscription: a connection receives an event only after it subscribed
 * to it (`events.subscribe`), for one workspace or for all. An event without a workspace (the
 * workspace list, the profile, a notification) reaches every subscriber of its name.
 */
export interface Subscription<E extends string = EventName> {
  event: E;
  /** Only this workspace's events (plus machine-wide ones); omitted or null: all workspaces. */
  workspaceId?: string | null;
}
