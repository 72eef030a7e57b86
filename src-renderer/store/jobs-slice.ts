import type { StateCreator } from 'zustand';
import type { InputOf, Job, JobEvent, JobExecution, JobRunNowResult, JobTypeInfo } from '../../src-main/contract';
import { api } from '../api/connection';
import type { AppState } from './app-store';

/** What the create dialog starts from: empty, or prefilled (the empty state's "nightly audit"). */
export type JobDraftPrefill = Partial<Pick<Job, 'name' | 'type' | 'schedule' | 'timezone' | 'projectId' | 'params'>>;
export type JobDialogState = { mode: 'create'; prefill?: JobDraftPrefill } | { mode: 'edit'; jobId: string } | null;

/** How many executions of a job the page keeps and shows (history, success rate, score trend). */
export const executionsShown = 50;

export interface JobsSlice {
  jobs: Job[];
  jobsLoaded: boolean;
  jobTypes: JobTypeInfo[];
  /** Newest first, as `jobs.executions` answers; live `jobs` events update them in place. */
  executionsByJob: Record<string, JobExecution[]>;
  jobDialog: JobDialogState;
  loadJobs(): Promise<void>;
  loadJobTypes(): Promise<void>;
  loadExecutions(jobId: string): Promise<void>;
  /** From the `jobs` event: the execution's new state, in the job's history if it is shown. */
  applyJobEvent(event: JobEvent): void;
  setJobDialog(state: JobDialogState): void;
  createJob(input: Omit<InputOf<'jobs', 'create'>, 'workspaceId'>): Promise<Job>;
  updateJob(input: InputOf<'jobs', 'update'>): Promise<Job>;
  deleteJob(id: string): Promise<void>;
  setJobPaused(id: string, paused: boolean): Promise<void>;
  /** The execution queued here, or the run request sent to the job's runner (another device). */
  runJobNow(id: string): Promise<JobRunNowResult>;
  cancelExecution(executionId: string): Promise<void>;
}

export const createJobsSlice: StateCreator<AppState, [], [], JobsSlice> = (set, get) => {
  const replaceJob = (job: Job) => {
    const others = get().jobs.filter((j) => j.id !== job.id);
    // The core lists by name; keep that order for a job changed in place.
    set({ jobs: [...others, job].sort((a, b) => a.name.localeCompare(b.name)) });
  };
  const upsertExecution = (execution: JobExecution) => {
    const shown = get().executionsByJob[execution.jobId];
    if (!shown) return;
    const at = shown.findIndex((e) => e.id === execution.id);
    const next = at >= 0 ? shown.map((e) => (e.id === execution.id ? execution : e)) : [execution, ...shown].slice(0, executionsShown);
    set({ executionsByJob: { ...get().executionsByJob, [execution.jobId]: next } });
  };

  return {
    jobs: [],
    jobsLoaded: false,
    jobTypes: [],
    executionsByJob: {},
    jobDialog: null,

    async loadJobs() {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId) return set({ jobs: [], jobsLoaded: false, executionsByJob: {} });
      const jobs = await api.jobs.list({ workspaceId });
      if (get().currentWorkspaceId !== workspaceId) return;
      const ids = new Set(jobs.map((j) => j.id));
      // Histories of jobs that went away (deleted here or by a teammate) are dropped with them.
      const executionsByJob = Object.fromEntries(Object.entries(get().executionsByJob).filter(([id]) => ids.has(id)));
      set({ jobs, jobsLoaded: true, executionsByJob });
    },
    async loadJobTypes() {
      set({ jobTypes: await api.jobs.types({}) });
    },
    async loadExecutions(jobId) {
      const executions = await api.jobs.executions({ jobId, limit: executionsShown });
      set({ executionsByJob: { ...get().executionsByJob, [jobId]: executions } });
    },
    applyJobEvent(event) {
      if (event.workspaceId !== get().currentWorkspaceId) return;
      upsertExecution(event.execution);
    },
    setJobDialog: (jobDialog) => set({ jobDialog }),
    async createJob(input) {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId) throw new Error('Create a workspace first');
      const job = await api.jobs.create({ workspaceId, ...input });
      replaceJob(job);
      return job;
    },
    async updateJob(input) {
      const job = await api.jobs.update(input);
      replaceJob(job);
      return job;
    },
    async deleteJob(id) {
      await api.jobs.delete({ id });
      const { [id]: _dropped, ...executionsByJob } = get().executionsByJob;
      set({ jobs: get().jobs.filter((j) => j.id !== id), executionsByJob });
      if (get().selectedJobId === id) get().openJobs(null);
    },
    async setJobPaused(id, paused) {
      replaceJob(paused ? await api.jobs.pause({ id }) : await api.jobs.resume({ id }));
    },
    async runJobNow(id) {
      const result = await api.jobs.runNow({ id });
      if ('execution' in result) upsertExecution(result.execution);
      return result;
    },
    async cancelExecution(executionId) {
      upsertExecution(await api.jobs.cancel({ executionId }));
    },
  };
};

/** Jobs whose last run failed (after its retries): the sidebar's badge. */
export const selectFailingJobCount = (state: AppState): number => state.jobs.filter((j) => j.lastStatus === 'failed').length;
/** Owners and admins create, edit, pause and delete jobs (the core checks the same, job-roles.ts). */
export const selectCanManageJobs = (state: AppState): boolean => {
  const role = state.syncStatus?.role ?? 'owner';
  return role === 'owner' || role === 'admin';
};
/** Members may also run jobs now and cancel runs; viewers only look. */
export const selectCanRunJobs = (state: AppState): boolean => state.syncStatus?.role !== 'viewer';
