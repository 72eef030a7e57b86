/**
 * The `jobs` namespace: definitions are written to the workspace doc (shared with the team),
 * executions are read from this replica's local tables, runs go through the scheduler. Who may do
 * what: job-roles.ts. Scheduling semantics: README.md here.
 */
import { uuidv7 } from 'uuidv7';
import { ApiError, type Role } from '../../contract';
import type { HandlersOf } from '../api-registration';
import type { CoreContext } from '../context';
import { requireWorkspace } from '../members/members.api';
import { checkSchedule, nextRunAfter, nextRunTimes } from './cron-schedule';
import { readExecutionFile } from './execution-files';
import * as executions from './executions.repo';
import { addJob, editJob, type JobDocFields } from './job-doc';
import { requireJobRole, type JobAction } from './job-roles';
import type { JobTypes } from './job-types';
import { getJob, listJobs } from './jobs.repo';
import type { Scheduler } from './scheduler';

export interface JobsApiDeps {
  types: JobTypes;
  scheduler: Scheduler;
  replica: string;
  clock(): Date;
  /** Where executions keep their files; null in memory-only cores. */
  dataDir: string | null;
  /** This replica's role in the workspace. */
  roleIn(workspaceId: string): Role;
}

export function jobsApi(ctx: CoreContext, deps: JobsApiDeps) {
  const { types, scheduler, replica, clock } = deps;
  const authorize = (workspaceId: string, action: JobAction) => requireJobRole(deps.roleIn(workspaceId), action);
  const get = (id: string, field?: string) => getJob(ctx.db, replica, id, field);
  const checkProject = async (workspaceId: string, projectId: string | null) => {
    if (!projectId) return;
    const inWorkspace = await ctx.places.projectWorkspace(projectId, 'projectId');
    if (inWorkspace !== workspaceId) throw new ApiError('VALIDATION', 'projectId: must be a project of the same workspace', { field: 'projectId' });
  };
  /** Counted from now; a fixed-time job never again at a local time it last ran at (the repeated hour when clocks go back). */
  const nextRun = (schedule: string, timezone: string, lastRunAt: string | null = null) =>
    nextRunAfter(schedule, timezone, clock(), lastRunAt ? new Date(lastRunAt) : null).toISOString();
  return {
    async list({ workspaceId, projectId }) {
      await requireWorkspace(ctx.db, workspaceId);
      return listJobs(ctx.db, replica, workspaceId, projectId);
    },
    get: ({ id }) => get(id),
    async create(input, call) {
      await requireWorkspace(ctx.db, input.workspaceId);
      authorize(input.workspaceId, 'manage');
      checkSchedule(input.schedule, input.timezone);
      const params = types.parseParams(input.type, input.params);
      await checkProject(input.workspaceId, input.projectId);
      const id = uuidv7();
      const now = ctx.now();
      const fields: JobDocFields = {
        name: input.name,
        type: input.type,
        params,
        projectId: input.projectId,
        schedule: input.schedule.trim(),
        timezone: input.timezone,
        enabled: input.enabled,
        retryMaxAttempts: input.retry.maxAttempts,
        retryBackoffSeconds: input.retry.backoffSeconds,
        timeoutSeconds: input.timeoutSeconds,
        catchUp: input.catchUp,
        runner: replica,
        lastRunAt: null,
        lastStatus: null,
        nextRunAt: input.enabled ? nextRun(input.schedule, input.timezone) : null,
        consecutiveFailures: 0,
        runRequest: null,
        lastRunRequest: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
      await addJob(ctx, input.workspaceId, id, call.origin, fields);
      return get(id);
    },
    async update({ id, ...changes }, call) {
      const job = await get(id);
      authorize(job.workspaceId, 'manage');
      const schedule = changes.schedule?.trim() ?? job.schedule;
      const timezone = changes.timezone ?? job.timezone;
      checkSchedule(schedule, timezone);
      const type = changes.type ?? job.type;
      const params = changes.params !== undefined || changes.type !== undefined ? types.parseParams(type, changes.params ?? job.params) : undefined;
      if (changes.projectId !== undefined) await checkProject(job.workspaceId, changes.projectId);
      const enabled = changes.enabled ?? job.enabled;
      // A new schedule or zone (or a job enabled again) starts counting from now, not from the old next run.
      const timing = schedule !== job.schedule || timezone !== job.timezone || enabled !== job.enabled;
      await editJob(ctx, job.workspaceId, id, call.origin, {
        name: changes.name,
        type: changes.type,
        params,
        projectId: changes.projectId,
        schedule: changes.schedule === undefined ? undefined : schedule,
        timezone: changes.timezone,
        enabled: changes.enabled,
        retryMaxAttempts: changes.retry?.maxAttempts,
        retryBackoffSeconds: changes.retry?.backoffSeconds,
        timeoutSeconds: changes.timeoutSeconds,
        catchUp: changes.catchUp,
        ...(timing ? { nextRunAt: enabled ? nextRun(schedule, timezone, job.lastRunAt) : null } : {}),
        updatedAt: ctx.now(),
      });
      return get(id);
    },
    async delete({ id }, call) {
      const job = await get(id);
      authorize(job.workspaceId, 'manage');
      await editJob(ctx, job.workspaceId, id, call.origin, { deletedAt: ctx.now(), enabled: false, updatedAt: ctx.now() });
      return { id };
    },
    async pause({ id }, call) {
      const job = await get(id);
      authorize(job.workspaceId, 'manage');
      if (job.enabled) await editJob(ctx, job.workspaceId, id, call.origin, { enabled: false, nextRunAt: null, updatedAt: ctx.now() });
      return get(id);
    },
    async resume({ id }, call) {
      const job = await get(id);
      authorize(job.workspaceId, 'manage');
      if (!job.enabled) {
        await editJob(ctx, job.workspaceId, id, call.origin, { enabled: true, nextRunAt: nextRun(job.schedule, job.timezone, job.lastRunAt), updatedAt: ctx.now() });
      }
      return get(id);
    },
    async takeOver({ id }, call) {
      const job = await get(id);
      authorize(job.workspaceId, 'manage');
      if (!job.runsHere) {
        // Counted from now: the runs this replica was not responsible for are not its to catch up.
        await editJob(ctx, job.workspaceId, id, call.origin, {
          runner: replica,
          nextRunAt: job.enabled ? nextRun(job.schedule, job.timezone, job.lastRunAt) : null,
          updatedAt: ctx.now(),
        });
      }
      return get(id);
    },
    async runNow({ id }, call) {
      const job = await get(id);
      authorize(job.workspaceId, 'run');
      if (!types.has(job.type)) throw new ApiError('CONFLICT', `id: this version of Groundwork cannot run jobs of type "${job.type}"`, { field: 'id' });
      if (job.runsHere) return { execution: await scheduler.startRun(job, 'manual') };
      // Another device runs it: ask it to, through the doc (README: run requests). Not an edit of
      // the definition, so `updatedAt` stays.
      const runRequest = { id: uuidv7(), by: call.origin.memberId, at: ctx.now() };
      await editJob(ctx, job.workspaceId, id, call.origin, { runRequest });
      return { requested: { id: runRequest.id, runner: job.runner } };
    },
    async cancel({ executionId }) {
      const execution = await executions.getExecution(ctx.db, executionId, 'executionId');
      authorize(execution.workspaceId, 'run');
      return scheduler.cancel(executionId);
    },
    async executions({ jobId, limit }) {
      await get(jobId, 'jobId');
      return executions.listExecutions(ctx.db, jobId, limit);
    },
    execution: ({ id }) => executions.getExecution(ctx.db, id),
    async log({ executionId }) {
      await executions.getExecution(ctx.db, executionId, 'executionId');
      return executions.readLog(ctx.db, executionId);
    },
    async file({ executionId, path }) {
      await executions.getExecution(ctx.db, executionId, 'executionId');
      return readExecutionFile(deps.dataDir, executionId, path);
    },
    async preview({ schedule, timezone }) {
      checkSchedule(schedule, timezone);
      return { nextRuns: nextRunTimes(schedule, timezone, clock(), 5).map((d) => d.toISOString()) };
    },
    async previewParams({ type, params }) {
      const jobType = types.get(type);
      const parsed = types.parseParams(type, params);
      return jobType.preview ? ((await jobType.preview(parsed)) ?? null) : null;
    },
    async types() {
      return types.list();
    },
  } satisfies HandlersOf<'jobs'>;
}
