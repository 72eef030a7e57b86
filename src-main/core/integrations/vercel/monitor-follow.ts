/**
 * A release monitor per production deployment: when a production deployment the app followed
 * becomes ready, the project's latest `release.monitor` job is carried over to it — a new job with
 * the same URLs, schedule and rollback rule watching the new deployment (health is per deployment,
 * since its deploy), and the old one paused (its checks and health stay). The first monitor of a
 * project is made by a person (which URLs to check is theirs to say); after that each release
 * gets its own.
 *
 * Only the link's runner replica does this (one new job, not one per teammate), in the
 * workspace's mutation queue; a deployment that already has a monitor gets none.
 */
import { uuidv7 } from 'uuidv7';
import type { VercelDeployment, VercelLink } from '../../../contract';
import { nextRunAfter } from '../../jobs/cron-schedule';
import { addJob, setJobFields, type JobDocFields } from '../../jobs/job-doc';
import { systemOrigin } from '../../sync/origins';
import { releaseMonitorType, type ReleaseMonitorParams } from './release-monitor';
import type { VercelSession } from './vercel-session';

interface MonitorRow {
  id: string;
  name: string;
  params: ReleaseMonitorParams;
  schedule: string;
  timezone: string;
  enabled: boolean;
  retry_max_attempts: number;
  retry_backoff_seconds: number;
  timeout_seconds: number;
  catch_up: 'skip' | 'run-once';
}

/** Returns the new job's id, or null when nothing was made. */
export async function monitorNewRelease(session: VercelSession, link: VercelLink, deployment: VercelDeployment): Promise<string | null> {
  if (link.runner !== session.deps.replica || deployment.state !== 'ready' || deployment.target !== 'production') return null;
  const { ctx } = session;
  return ctx.mutate(link.workspaceId, async () => {
    const { rows } = await ctx.db.query<MonitorRow>(
      `SELECT id, name, params, schedule, timezone, enabled, retry_max_attempts, retry_backoff_seconds, timeout_seconds, catch_up
       FROM jobs WHERE workspace_id = $1 AND project_id = $2 AND type = $3 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC`,
      [link.workspaceId, link.projectId, releaseMonitorType],
    );
    const latest = rows[0];
    if (!latest || rows.some((row) => row.params.deploymentId === deployment.id)) return null;
    const id = uuidv7();
    const now = session.deps.clock();
    const fields: JobDocFields = {
      name: `${latest.name.replace(/ · dpl_\S+$/, '')} · ${deployment.id}`.slice(0, 200),
      type: releaseMonitorType,
      params: { ...latest.params, deploymentId: deployment.id },
      projectId: link.projectId,
      schedule: latest.schedule,
      timezone: latest.timezone,
      enabled: true,
      retryMaxAttempts: latest.retry_max_attempts,
      retryBackoffSeconds: latest.retry_backoff_seconds,
      timeoutSeconds: latest.timeout_seconds,
      catchUp: latest.catch_up,
      runner: session.deps.replica,
      lastRunAt: null,
      lastStatus: null,
      nextRunAt: nextRunAfter(latest.schedule, latest.timezone, now).toISOString(),
      consecutiveFailures: 0,
      runRequest: null,
      lastRunRequest: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      deletedAt: null,
    };
    const origin = systemOrigin('vercel release monitor');
    await addJob(ctx, link.workspaceId, id, origin, fields);
    if (latest.enabled) await setJobFields(ctx, link.workspaceId, latest.id, origin, { enabled: false, nextRunAt: null, updatedAt: now.toISOString() });
    return id;
  });
}
