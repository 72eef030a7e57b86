/**
 * The `github.sync` job: one per repo linked in a workspace, every 2 minutes while the app runs,
 * on the replica of whoever linked it first ("Run on this device" takes it over, as for any job).
 * It is an ordinary job (core/jobs): its runs, failures and GitHub's messages are in its history.
 *
 * The job is written in the same doc transaction as the link that needs it, with an id derived
 * from workspace and repo: linking one repo to two projects, or on two replicas at once, makes one
 * job. Unlinking the repo from its last project deletes the job; linking it again brings it back.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { githubRepoName } from '../../../contract';
import { nextRunAfter } from '../../jobs/cron-schedule';
import type { JobDocFields } from '../../jobs/job-doc';
import { JOBS } from '../../jobs/job-doc';
import type { JobType } from '../../jobs/job-type';
import { newEntity } from '../../sync/fields';
import { nameId } from '../../sync/name-ids';

export const syncJobType = 'github.sync';
/** Every 2 minutes: GitHub's lists answer 304 when nothing changed, which costs no quota. */
export const syncSchedule = '*/2 * * * *';

export const syncJobId = (workspaceId: string, repo: string) => nameId('github-sync-job', workspaceId, repo.toLowerCase());

/** What a new sync job needs from the link being written. */
export interface SyncJobPlacement {
  workspaceId: string;
  projectId: string;
  repo: string;
  /** This replica: it runs the job. */
  runner: string;
  nextRunAt: string;
  now: string;
}

/** A new job's runner (this replica) and first run (the next even minute). */
export function newSyncJobTiming(replica: string, now: Date): Pick<SyncJobPlacement, 'runner' | 'nextRunAt'> {
  return { runner: replica, nextRunAt: nextRunAfter(syncSchedule, 'UTC', now).toISOString() };
}

/** Inside the link's doc transaction: the repo's job, made or brought back. */
export function ensureSyncJob(doc: Y.Doc, placement: SyncJobPlacement): void {
  const jobs = doc.getMap<unknown>(JOBS);
  const id = syncJobId(placement.workspaceId, placement.repo);
  const existing = jobs.get(id);
  if (existing instanceof Y.Map && !existing.get('deletedAt')) return;
  if (existing instanceof Y.Map) {
    existing.set('deletedAt', null);
    existing.set('runner', placement.runner);
    existing.set('nextRunAt', placement.nextRunAt);
    existing.set('updatedAt', placement.now);
    return;
  }
  const fields: JobDocFields = {
    name: `GitHub sync: ${placement.repo}`,
    type: syncJobType,
    params: { repo: placement.repo },
    projectId: placement.projectId,
    schedule: syncSchedule,
    timezone: 'UTC',
    enabled: true,
    retryMaxAttempts: 1,
    retryBackoffSeconds: 60,
    timeoutSeconds: 300,
    catchUp: 'skip',
    runner: placement.runner,
    lastRunAt: null,
    lastStatus: null,
    nextRunAt: placement.nextRunAt,
    consecutiveFailures: 0,
    runRequest: null,
    lastRunRequest: null,
    createdAt: placement.now,
    updatedAt: placement.now,
    deletedAt: null,
  };
  jobs.set(id, newEntity({ ...fields }));
}

/** Inside the unlink's doc transaction: the job goes when no live link of the repo is left. */
export function dropSyncJobIfUnused(doc: Y.Doc, workspaceId: string, repo: string, links: Y.Map<unknown>, now: string): void {
  const stillLinked = [...links.values()].some((link) => link instanceof Y.Map && !link.get('deletedAt') && String(link.get('repo')).toLowerCase() === repo.toLowerCase());
  const job = doc.getMap<unknown>(JOBS).get(syncJobId(workspaceId, repo));
  if (stillLinked || !(job instanceof Y.Map) || job.get('deletedAt')) return;
  job.set('deletedAt', now);
  job.set('updatedAt', now);
}

const params = z.strictObject({ repo: githubRepoName });
const result = z.object({
  repo: z.string(),
  ok: z.boolean(),
  error: z.string().nullable(),
  requests: z.number(),
  notModified: z.number(),
  quotaSpent: z.number(),
  branches: z.number(),
  commits: z.number(),
  pulls: z.number(),
  runs: z.number(),
  deployments: z.number(),
  links: z.number(),
  moves: z.number(),
  ms: z.number(),
});

/** What the job calls: the sync of one repo as its runner (repo-sync.ts). */
export type RunnerSync = (workspaceId: string, repo: string, jobId: string, signal: AbortSignal) => Promise<z.infer<typeof result>>;

export function githubSyncJobType(sync: RunnerSync): JobType<typeof params, typeof result> {
  return {
    type: syncJobType,
    title: 'GitHub sync',
    params,
    result,
    async run(ctx, input, signal, progress) {
      progress({ done: 0, total: null, message: `Syncing ${input.repo}` });
      const outcome = await sync(ctx.workspaceId, input.repo, ctx.jobId, signal);
      // A failed sync fails the run, with GitHub's message and what to do: that is what its history shows.
      if (!outcome.ok) throw new Error(outcome.error ?? `Syncing ${input.repo} failed`);
      ctx.log(
        'info',
        `${outcome.requests} requests (${outcome.notModified} unchanged, ${outcome.quotaSpent} of the quota); ${outcome.commits} new commits, ${outcome.pulls} changed pull requests, ${outcome.branches} changed branches; ${outcome.links} task links, ${outcome.moves} tasks moved`,
      );
      return outcome;
    },
  };
}
