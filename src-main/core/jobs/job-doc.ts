/**
 * Job definitions in the workspace doc: the `jobs` map holds one Y.Map of plain fields per job
 * (last writer wins per field), projected into the `jobs` table. People's edits and the runner's
 * summary are both field writes here, so teammates converge on both.
 */
import * as Y from 'yjs';
import { ApiError, type JobRunRequest, type JobServedRunRequest } from '../../contract';
import type { CoreContext } from '../context';
import { newEntity } from '../sync/fields';
import type { Origin } from '../sync/origins';
import { workspaceRoom } from '../sync/rooms';

export const JOBS = 'jobs';

/** A job's fields as the doc holds them (the retry policy flattened, times as ISO text). */
export interface JobDocFields {
  name: string;
  type: string;
  params: unknown;
  projectId: string | null;
  schedule: string;
  timezone: string;
  enabled: boolean;
  retryMaxAttempts: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number;
  catchUp: 'skip' | 'run-once';
  runner: string;
  lastRunAt: string | null;
  lastStatus: string | null;
  nextRunAt: string | null;
  consecutiveFailures: number;
  /** The latest Run now asked for on a device that is not the runner (README: run requests); written by the asker. */
  runRequest: JobRunRequest | null;
  /** The request the runner served last (written by the runner, before that run starts). */
  lastRunRequest: JobServedRunRequest | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export function addJob(ctx: CoreContext, workspaceId: string, id: string, origin: Origin, fields: JobDocFields): Promise<void> {
  return ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    doc.getMap<unknown>(JOBS).set(id, newEntity({ ...fields }));
  });
}

/** A live job in the doc, inside a write: its current fields, and a setter. */
export interface JobDocEntry {
  get<K extends keyof JobDocFields>(field: K): JobDocFields[K] | undefined;
  set(fields: Partial<JobDocFields>): void;
}

/**
 * Reads and sets fields of several jobs of one workspace in ONE doc transaction (one save, one
 * change event): the scheduler's summaries of a minute's firings go together. `job(id)` is null
 * for a job gone or deleted in the doc — its summary is dropped, not resurrected.
 */
export function writeJobs<T>(ctx: CoreContext, workspaceId: string, origin: Origin, change: (job: (id: string) => JobDocEntry | null) => T): Promise<T> {
  return ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    const jobs = doc.getMap<unknown>(JOBS);
    return change((id) => {
      const map = jobs.get(id);
      if (!(map instanceof Y.Map) || map.get('deletedAt')) return null;
      return {
        get: (field) => map.get(field) as never,
        set(fields) {
          for (const [key, value] of Object.entries(fields)) if (value !== undefined && map.get(key) !== value) map.set(key, value);
        },
      };
    });
  });
}

/** Sets some fields of a live job; false (writing nothing) when it is gone or deleted in the doc. */
export function setJobFields(ctx: CoreContext, workspaceId: string, id: string, origin: Origin, fields: Partial<JobDocFields>): Promise<boolean> {
  return writeJobs(ctx, workspaceId, origin, (job) => {
    const entry = job(id);
    entry?.set(fields);
    return entry !== null;
  });
}

/** Like setJobFields for a person's edit: a job that is gone is NOT_FOUND. */
export async function editJob(ctx: CoreContext, workspaceId: string, id: string, origin: Origin, fields: Partial<JobDocFields>): Promise<void> {
  if (!(await setJobFields(ctx, workspaceId, id, origin, fields))) throw new ApiError('NOT_FOUND', `No job with id ${id}`, { id, field: 'id' });
}
