import type { Api, JobExecution } from '../../../contract';

/**
 * `jobs.runNow` on the job's runner, as most tests use it: the queued execution. A job that runs
 * on another device answers with a run request instead, which here is an error saying so.
 */
export async function runHere(api: Pick<Api, 'jobs'>, id: string): Promise<JobExecution> {
  const result = await api.jobs.runNow({ id });
  if (!('execution' in result)) throw new Error(`runHere: job ${id} runs on another device (replica ${result.requested.runner}); a run request was sent`);
  return result.execution;
}
