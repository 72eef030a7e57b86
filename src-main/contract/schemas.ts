/**
 * Input schemas of every API method. The core validates each call against these before it does
 * anything; the renderer may reuse them to validate forms. Objects are strict: an unknown field is
 * a VALIDATION error naming it, never silently dropped.
 */
import { z } from 'zod';
import { duration } from '../sync-protocol/http-replies';
import { eventNames } from './events';
import { jobCatchUpPolicies, priorities, projectStatuses, webhookEventTypes } from './models';

/** `groundwork://join?relay=<ws url>&token=<jwt>` — what an owner or admin hands a teammate. */
export const invite = z
  .string()
  .trim()
  .regex(/^groundwork:\/\/join\?/, { error: 'must be an invite link starting with groundwork://join?' });

export const id = z.uuid({ error: 'must be an id (UUID)' });

/**
 * What every free-text field refuses: characters Postgres cannot store (NUL) or would silently
 * change (a lone surrogate becomes U+FFFD), so such input is a VALIDATION error naming the field
 * rather than an INTERNAL failure or a quietly altered value.
 */
function storable<T extends z.ZodString>(schema: T): T {
  return schema
    .refine((s) => !hasNul(s), { error: 'must not contain NUL characters' })
    .refine((s) => !hasLoneSurrogate(s), { error: 'must be well-formed Unicode (no lone surrogates)' });
}
/** Postgres text cannot hold NUL. (Also the rule by which the replica stores what teammates send.) */
export const hasNul = (s: string) => s.includes('\0');
/** A surrogate not in a pair: with the `u` flag, only a lone one matches \p{Cs}. */
export const hasLoneSurrogate = (s: string) => /\p{Cs}/u.test(s);
/** Free text up to `max` characters (may be empty). */
const text = (max: number) => storable(z.string().max(max));
/**
 * A long text's new value: the whole text, or a TextEdit (`{ base, value }`: what the person
 * started from and made of it), which the core merges with what teammates changed meanwhile.
 */
const longText = (max: number) => z.union([text(max), z.strictObject({ base: text(max), value: text(max) })]);
/**
 * Characters that show nothing on their own: whitespace, controls, format characters and other
 * default-ignorables (zero-width space and joiners, word joiner, BOM, combining grapheme joiner,
 * Hangul fillers) and the Braille blank, which renders as a space.
 */
const invisibleOnly = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u034F\u115F\u1160\u2800\u3164\uFFA0]*$/u;
/** A name: trimmed, at most `max` characters, with at least one visible character. */
const name = (max: number) =>
  storable(z.string().trim().max(max)).refine((s) => !invisibleOnly.test(s), { error: 'must not be empty' });
/**
 * A real calendar day (2025-02-30 is not one) within years any replica's Postgres stores as
 * written. Exported as calendarDay: date fields check a typed date with it before sending.
 */
const day = z.iso
  .date({ error: 'must be a date as YYYY-MM-DD', abort: true })
  .refine((d) => d >= '1900-01-01' && d <= '2999-12-31', { error: 'must be a date between 1900-01-01 and 2999-12-31' });
export { day as calendarDay };
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like #3b82f6' });
const label = name(40);

const empty = z.strictObject({});

/**
 * A webhook endpoint's URL: http(s) only, at most 2,000 characters. Whether plain http or a private
 * address is allowed is the core's check (core/webhooks/target-safety.ts): it needs DNS and a setting.
 */
const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), { error: 'must be an http(s) URL' });
const webhookEvents = z
  .array(z.enum(webhookEventTypes, { error: `must be event types: ${webhookEventTypes.join(', ')}` }))
  .min(1, { error: 'must name at least one event type' })
  .max(webhookEventTypes.length);
/** A path on this machine (the core checks it is absolute: the contract cannot know the OS's rules). */
const backupPath = storable(z.string().trim().min(1, { error: 'must not be empty' }).max(4096));
const byId = z.strictObject({ id });

export const projectKey = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, { error: 'must be 2–10 letters or digits, starting with a letter' });

export const deliverable = z.strictObject({
  id: id.optional(),
  text: name(500),
  done: z.boolean().default(false),
});

const projectFields = {
  name: name(120),
  key: projectKey,
  description: text(20_000),
  status: z.enum(projectStatuses),
  clientName: storable(z.string().trim().max(200)),
  startDate: day.nullable(),
  endDate: day.nullable(),
  deliverables: z.array(deliverable).max(500),
  notes: text(100_000),
  tags: z.array(label).max(50),
  color,
};

const datesInOrder = (value: { startDate?: string | null; endDate?: string | null }) =>
  !value.startDate || !value.endDate || value.startDate <= value.endDate;
const datesInOrderError = { error: 'endDate must not be before startDate', path: ['endDate'] };

const taskFields = {
  title: name(500),
  description: text(100_000),
  priority: z.enum(priorities),
  assigneeIds: z.array(id).max(50),
  labels: z.array(label).max(50),
  dueDate: day.nullable(),
  estimateHours: z.number().min(0).max(10_000).nullable(),
};

/** Where a moved task or stage lands: between `afterId` and `beforeId` (either may be omitted at an end). */
const placement = {
  afterId: id.nullable().optional(),
  beforeId: id.nullable().optional(),
};

/** `limit` newest entries of an entity's history; `before` (an entry id) pages further back. */
const historyQuery = z.strictObject({
  id,
  limit: z.number().int().min(1).max(1000).default(100),
  before: z.string().regex(/^\d{1,18}$/, { error: 'must be the id of a history entry' }).optional(),
});

/**
 * A preference of this machine's person (theme, last place, a project's filters): a short name,
 * optionally scoped by an id (`place:<workspaceId>`, `project-view:<projectId>`).
 */
export const preferenceKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}(:[0-9a-f-]{36})?$/, { error: 'must be a preference name like theme or place:<id>' });
/** A preference's value: JSON, kept small (it is read on start-up). */
const preferenceValue = z.json().refine((v) => JSON.stringify(v).length <= 20_000, { error: 'must be at most 20000 characters as JSON' });

/**
 * A job's fields. The schedule and the zone are checked further by the core (cron-parser and the
 * zone database are the core's), with messages naming the bad part (`schedule: minute 61 is out of range`).
 */
const jobFields = {
  name: name(120),
  type: z.string().regex(/^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/, { error: 'must be a job type name like site.audit' }).max(60),
  schedule: storable(z.string().trim().min(1, { error: 'must not be empty' }).max(200)),
  timezone: z.string().trim().min(1, { error: 'must be a time zone like Europe/Berlin' }).max(64),
  /** The type's params: JSON, checked by the type's own schema. */
  params: z.json().refine((v) => JSON.stringify(v).length <= 100_000, { error: 'must be at most 100000 characters as JSON' }),
  projectId: id.nullable(),
  enabled: z.boolean(),
  retry: z.strictObject({
    maxAttempts: z.number().int().min(1).max(10),
    backoffSeconds: z.number().int().min(1).max(86_400),
  }),
  timeoutSeconds: z.number().int().min(1).max(7 * 86_400),
  catchUp: z.enum(jobCatchUpPolicies),
};
const byExecution = z.strictObject({ executionId: id });

/**
 * GitHub (core/integrations/github). `baseUrl` is the API address: https://api.github.com (the
 * default) or a GitHub Enterprise server's https://ghe.example/api/v3. Plain http only to this
 * machine (a loopback test server): a token must never cross a network unencrypted.
 */
const apiBaseUrl = (examples: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) address like ${examples}` })
    .refine((url) => url.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url), {
      error: 'must use https (plain http only to this machine)',
    });
const githubBaseUrl = apiBaseUrl('https://api.github.com or https://ghe.example/api/v3');
/** A user or organisation login: letters, digits and hyphens, not starting with a hyphen. */
const githubOwner = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, { error: 'must be a GitHub user or organisation name' });
/** `owner/name`, as GitHub spells a repository. */
export const githubRepoName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, { error: 'must be owner/name, like octocat/hello-world' })
  .refine((repo) => !/\/\.{1,2}$/.test(repo), { error: 'must be owner/name, like octocat/hello-world' });
const githubToken = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(1000)
  .regex(/^[\x21-\x7e]+$/, { error: 'must be a token as GitHub shows it (no spaces or line breaks inside)' });
/** A branch, tag or sha as git allows it in a ref (`github.createBranch`'s `from`, a workflow's `ref`). */
const githubRef = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(250)
  .refine((ref) => !/[\s~^:?*[\\]|\.\.|\/\/|@\{|\.lock$|\/$|\.$|^\//.test(ref) && ![...ref].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f'), {
    error: 'must be a branch, tag or commit sha that git allows',
  });
/** A workflow's file name (`deploy.yml`) or its numeric id. */
const githubWorkflow = z
  .string()
  .trim()
  .regex(/^(\d{1,20}|[A-Za-z0-9._-]{1,200}\.ya?ml)$/, { error: 'must be a workflow file name like deploy.yml, or its numeric id' });
/** A stage a GitHub event moves tasks to, or null: the rule is off. */
const githubRuleStage = z.strictObject({ enabled: z.boolean(), stageId: id.nullable() });

/**
 * Vercel (core/integrations/vercel). `baseUrl`: https://api.vercel.com (the default) or a loopback
 * test server; the same https rule as GitHub's. Ids are Vercel's (`prj_…`, `dpl_…`, `team_…`).
 */
const vercelBaseUrl = apiBaseUrl('https://api.vercel.com');
const vercelToken = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(1000)
  .regex(/^[\x21-\x7e]+$/, { error: 'must be a token as Vercel shows it (no spaces or line breaks inside)' });
const vercelId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/, { error: `must be a Vercel ${what} id` });
const vercelTarget = z.enum(['production', 'preview'], { error: 'must be production or preview' });

/** Which events a connection receives: one event name, for one workspace or (no workspaceId) all. */
const subscription = z.strictObject({ event: z.enum(eventNames), workspaceId: id.nullable().optional() });

export const inputs = {
  workspaces: {
    list: empty,
    current: empty,
    create: z.strictObject({ name: name(120) }),
    rename: z.strictObject({ id, name: name(120) }),
    switch: byId,
  },
  profile: {
    get: empty,
    update: z.strictObject({ displayName: name(80) }),
  },
  preferences: {
    get: z.strictObject({ key: preferenceKey }),
    set: z.strictObject({ key: preferenceKey, value: preferenceValue }),
  },
  members: {
    list: z.strictObject({ workspaceId: id }),
    create: z.strictObject({ workspaceId: id, name: name(80), color: color.optional() }),
  },
  projects: {
    list: z.strictObject({ workspaceId: id, includeArchived: z.boolean().default(false) }),
    get: byId,
    create: z
      .strictObject({
        workspaceId: id,
        name: projectFields.name,
        key: projectFields.key.optional(),
        description: projectFields.description.default(''),
        status: projectFields.status.default('planning'),
        clientName: projectFields.clientName.default(''),
        startDate: projectFields.startDate.default(null),
        endDate: projectFields.endDate.default(null),
        deliverables: projectFields.deliverables.default([]),
        notes: projectFields.notes.default(''),
        tags: projectFields.tags.default([]),
        color: projectFields.color.optional(),
        favorite: z.boolean().default(false),
      })
      .refine(datesInOrder, datesInOrderError),
    update: z
      .strictObject({ id, ...partial(projectFields), description: longText(20_000).optional(), notes: longText(100_000).optional() })
      .refine(datesInOrder, datesInOrderError),
    archive: byId,
    unarchive: byId,
    delete: byId,
    setFavorite: z.strictObject({ id, favorite: z.boolean() }),
    /** Changes to the project and everything in it (stages, tasks), newest first. */
    history: historyQuery,
  },
  stages: {
    list: z.strictObject({ projectId: id }),
    create: z.strictObject({ projectId: id, name: name(60), ...placement }),
    rename: z.strictObject({ id, name: name(60) }),
    move: z.strictObject({ id, ...placement }),
    remove: z.strictObject({ id, moveTasksTo: id }),
  },
  tasks: {
    list: z
      .strictObject({
        projectId: id,
        includeDeleted: z.boolean().default(false),
        /** Only this stage's tasks. */
        stageId: id.optional(),
        /** Pages: the tasks after this one of the stage in board order (its `order` and `id`). */
        after: z.strictObject({ order: z.string().min(1).max(200), id }).optional(),
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .refine((input) => !input.after || input.stageId, { error: 'needs stageId (a page continues one stage)', path: ['after'] }),
    firstWindow: z.strictObject({ projectId: id, perStage: z.number().int().min(1).max(500) }),
    get: byId,
    getMany: z.strictObject({ ids: z.array(id).max(1000) }),
    create: z.strictObject({
      projectId: id,
      title: taskFields.title,
      stageId: id.optional(),
      description: taskFields.description.default(''),
      priority: taskFields.priority.default('normal'),
      assigneeIds: taskFields.assigneeIds.default([]),
      labels: taskFields.labels.default([]),
      dueDate: taskFields.dueDate.default(null),
      estimateHours: taskFields.estimateHours.default(null),
      ...placement,
    }),
    update: z.strictObject({ id, ...partial(taskFields), description: longText(100_000).optional() }),
    move: z.strictObject({ id, stageId: id, ...placement }),
    delete: byId,
    restore: byId,
    purge: byId,
    /** The task's change history, newest first. */
    history: historyQuery,
  },
  sync: {
    status: z.strictObject({ workspaceId: id }),
    /** Joins the workspace an invite names (creating its local replica). */
    join: z.strictObject({ invite }),
    /** Links an existing local workspace to the (empty or not) relay workspace of an owner invite. */
    publish: z.strictObject({ workspaceId: id, invite }),
    /** Stops syncing and forgets the token; `deleteLocalCopy` also removes the local replica. */
    leave: z.strictObject({ workspaceId: id, deleteLocalCopy: z.boolean().default(false) }),
    createInvite: z.strictObject({
      workspaceId: id,
      role: z.enum(['member', 'viewer']),
      name: storable(z.string().trim().max(80)).optional(),
      /** How long the invite works (7d, 12h, 30m …, at most ten years); the relay's own rule. */
      expires: duration.optional(),
    }),
    /** What this machine is looking at, shown to teammates as presence. */
    setPresence: z.strictObject({ workspaceId: id, projectId: id.nullable(), taskId: id.nullable() }),
    presence: z.strictObject({ workspaceId: id }),
    /** Everyone in the workspace, with their role and when they were last connected (any role). */
    members: z.strictObject({ workspaceId: id }),
    /** Owners and admins: the member and viewer invites of the workspace, used or not, revoked or not. */
    invites: z.strictObject({ workspaceId: id }),
    /** Owners and admins: ends an invite's access (the teammate using it is disconnected at once). */
    revokeInvite: z.strictObject({ workspaceId: id, inviteId: id }),
  },
  files: {
    /** `title`: the dialog's title ("Folder for the export"). */
    chooseFolder: z.strictObject({ title: text(200).optional() }),
  },
  jobs: {
    list: z.strictObject({ workspaceId: id, projectId: id.optional() }),
    get: byId,
    create: z.strictObject({
      workspaceId: id,
      name: jobFields.name,
      type: jobFields.type,
      schedule: jobFields.schedule,
      timezone: jobFields.timezone,
      params: jobFields.params,
      projectId: jobFields.projectId.default(null),
      enabled: jobFields.enabled.default(true),
      retry: jobFields.retry.default({ maxAttempts: 1, backoffSeconds: 60 }),
      timeoutSeconds: jobFields.timeoutSeconds.default(3600),
      catchUp: jobFields.catchUp.default('skip'),
    }),
    update: z.strictObject({ id, ...partial(jobFields) }),
    delete: byId,
    pause: byId,
    resume: byId,
    /** "Run on this device": this replica becomes the job's runner (owners and admins). */
    takeOver: byId,
    runNow: byId,
    cancel: byExecution,
    executions: z.strictObject({ jobId: id, limit: z.number().int().min(1).max(200).default(50) }),
    execution: byId,
    log: byExecution,
    file: z.strictObject({ executionId: id, path: z.string().min(1, { error: 'must not be empty' }).max(1000) }),
    preview: z.strictObject({ schedule: jobFields.schedule, timezone: jobFields.timezone }),
    previewParams: z.strictObject({ type: jobFields.type, params: jobFields.params }),
    types: empty,
  },
  backups: {
    /** `folder`: one folder to look in (absolute); omitted, the folders of this machine's backup jobs and the safety backups. */
    list: z.strictObject({ workspaceId: id, folder: backupPath.optional() }),
    /** `file`: a listed backup (absolute path). */
    restore: z.strictObject({ workspaceId: id, file: backupPath }),
    lastRestore: empty,
  },
  github: {
    connectToken: z.strictObject({ token: githubToken, baseUrl: githubBaseUrl.optional() }),
    /** `clientId`: the OAuth app's client id; omitted, the `github-client-id` preference, else GROUNDWORK_GITHUB_CLIENT_ID. */
    startDeviceFlow: z.strictObject({
      clientId: z.string().trim().regex(/^[A-Za-z0-9._-]{1,100}$/, { error: 'must be an OAuth app client id (letters, digits, . _ -)' }).optional(),
      baseUrl: githubBaseUrl.optional(),
    }),
    pollDeviceFlow: empty,
    account: empty,
    disconnect: empty,
    repos: z.strictObject({
      search: text(100).optional(),
      owner: githubOwner.optional(),
      page: z.number().int().min(1).max(1000).default(1),
    }),
    links: z.strictObject({ projectId: id }),
    branchName: z.strictObject({ taskId: id }),
    linkRepo: z.strictObject({ projectId: id, repo: githubRepoName }),
    unlinkRepo: z.strictObject({ projectId: id, repo: githubRepoName }),
    repo: z.strictObject({ repo: githubRepoName }),
    syncNow: z.strictObject({ projectId: id }),
    taskLinks: z.strictObject({ taskId: id }),
    /** `onMerge`: a merged PR saying `fixes KEY`; `onOpen`: a PR opened for a task. `stageId` null: the project's first done stage / a stage named like "review". */
    projectRules: z.strictObject({ projectId: id }),
    setProjectRules: z.strictObject({ projectId: id, onMerge: githubRuleStage.optional(), onOpen: githubRuleStage.optional() }),
    undoMove: z.strictObject({ moveId: id }),
    createBranch: z.strictObject({ taskId: id, repo: githubRepoName, from: githubRef.optional() }),
    createIssue: z.strictObject({ taskId: id, repo: githubRepoName }),
    dispatchWorkflow: z.strictObject({
      repo: githubRepoName,
      workflow: githubWorkflow,
      ref: githubRef,
      inputs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, { error: 'must be a workflow input name' }), z.string().max(10_000)).optional(),
    }),
    createDeployment: z.strictObject({
      repo: githubRepoName,
      ref: githubRef,
      environment: z.string().trim().min(1).max(255).default('production'),
      description: text(140).optional(),
    }),
    workflows: z.strictObject({ repo: githubRepoName }),
    queue: z.strictObject({ workspaceId: id }),
    retryQueued: z.strictObject({ id }),
    cancelQueued: z.strictObject({ id }),
  },
  webhooks: {
    create: z.strictObject({ workspaceId: id, url: webhookUrl, events: webhookEvents, description: text(500).optional() }),
    list: z.strictObject({ workspaceId: id }),
    update: z.strictObject({ id, url: webhookUrl.optional(), events: webhookEvents.optional(), description: text(500).optional(), enabled: z.boolean().optional() }),
    delete: z.strictObject({ id }),
    rotateSecret: z.strictObject({ id }),
    deliveries: z.strictObject({ endpointId: id, limit: z.number().int().min(1).max(500).default(50) }),
    /** `deliveryId`: that delivery again; `endpointId`: every failed delivery of the endpoint again. Exactly one. */
    redeliver: z
      .strictObject({ deliveryId: id.optional(), endpointId: id.optional() })
      .refine((input) => (input.deliveryId === undefined) !== (input.endpointId === undefined), {
        error: 'give either deliveryId (one delivery) or endpointId (all its failed deliveries)',
        path: ['deliveryId'],
      }),
    sendTest: z.strictObject({ id }),
  },
  vercel: {
    connect: z.strictObject({ token: vercelToken, teamId: vercelId('team').optional(), baseUrl: vercelBaseUrl.optional() }),
    account: empty,
    disconnect: empty,
    projects: empty,
    linkProject: z.strictObject({ projectId: id, vercelProjectId: vercelId('project') }),
    deployments: z.strictObject({ projectId: id, target: vercelTarget.optional() }),
    deployment: z.strictObject({ id: vercelId('deployment') }),
    events: z.strictObject({ deploymentId: vercelId('deployment') }),
    /** `ref`: a branch, tag or commit sha (a merged PR's merge commit). */
    deploy: z.strictObject({ projectId: id, ref: githubRef }),
    promote: z.strictObject({ deploymentId: vercelId('deployment') }),
    rollback: z.strictObject({ projectId: id, deploymentId: vercelId('deployment') }),
    health: z.strictObject({ deploymentId: vercelId('deployment') }),
  },
  events: {
    subscribe: subscription,
    unsubscribe: subscription,
  },
} as const;

function partial<T extends Record<string, z.ZodType>>(fields: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };
}

export type Inputs = typeof inputs;
/** What a caller passes (defaults may be omitted). */
export type InputOf<NS extends keyof Inputs, M extends keyof Inputs[NS]> = Inputs[NS][M] extends z.ZodType
  ? z.input<Inputs[NS][M]>
  : never;
/** What a handler receives after validation (defaults filled in). */
export type ParsedOf<NS extends keyof Inputs, M extends keyof Inputs[NS]> = Inputs[NS][M] extends z.ZodType
  ? z.output<Inputs[NS][M]>
  : never;
