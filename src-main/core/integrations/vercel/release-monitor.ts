/**
 * Release health: the `release.monitor` job type checks a production deployment's URLs on the
 * job's schedule (every N minutes) with the uptime probe of `http.check` (jobs/http-check/probe.ts),
 * records every check in the LOCAL table `vercel_checks` (migration 0014), and `vercel.health`
 * sums them up since the deploy: ok / degraded / down, p50/p95 latency, error rate.
 *
 * A run where a URL is down FAILS (after recording), so the scheduler's one alert per failing
 * streak — and its "recovered" — is the monitor's alert, as for `http.check`.
 *
 * Optional automatic rollback: after `afterFailures` failed runs in a row within `withinMinutes` of
 * the deploy, production goes back to the newest earlier ready production deployment, and a
 * notification says what was rolled back and why. ONE rollback per incident: the failing
 * deployment's row in `vercel_auto_rollbacks` is inserted before Vercel is asked (its primary key
 * decides, not a read), and nothing is rolled back when the deployment no longer serves production.
 *
 * Releases made outside the app (a git push deploys on Vercel by itself): each run also asks which
 * deployment serves production; a newer ready one is a new release — its tasks are marked shipped
 * and the monitor is carried over to it (monitor-follow.ts), as for a release the app followed.
 */
import { z } from 'zod';
import type { VercelDeployment, VercelHealth } from '../../../contract';
import { probe, type ProbeOutcome } from '../../jobs/http-check/probe';
import type { JobRunContext, JobType } from '../../jobs/job-type';
import { httpUrl } from '../../jobs/web-request';
import type { ProductionChanges } from './production';
import { linksOfVercelProject } from './project-links-doc';
import { getDeployment, listDeployments } from './vercel-calls';
import type { VercelSession } from './vercel-session';

export const releaseMonitorType = 'release.monitor';

const count = (min: number, max: number) => z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(min).max(max);

export const releaseMonitorParams = z.strictObject({
  /** The production deployment watched (`dpl_…`). */
  deploymentId: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,200}$/, { error: 'must be a Vercel deployment id' }),
  urls: z
    .array(
      z.strictObject({
        url: httpUrl,
        expectStatus: count(100, 599).optional(),
        expectText: z.string().min(1).max(1000).optional(),
      }),
    )
    .min(1, { error: 'must list at least one URL' })
    .max(10, { error: 'must list at most 10 URLs' }),
  /** Roll production back after this many failed runs in a row within `withinMinutes` of the deploy. */
  autoRollback: z.strictObject({ afterFailures: count(1, 100), withinMinutes: count(1, 7 * 24 * 60) }).optional(),
  timeoutMs: count(100, 120_000).optional(),
});
export type ReleaseMonitorParams = z.infer<typeof releaseMonitorParams>;

export const releaseMonitorResult = z.object({
  deploymentId: z.string(),
  checks: z.array(z.object({ url: z.string(), up: z.boolean(), status: z.number().nullable(), latencyMs: z.number().nullable(), error: z.string().optional() })),
  rolledBackTo: z.string().nullable(),
});

/** p95 above this (ms) is `degraded` even without failures. */
export const slowP95Ms = 3000;

export function releaseMonitorJobType(
  session: VercelSession,
  production: ProductionChanges,
  /** After an automatic rollback: the tasks it took out of production are flagged. */
  afterRollback: (vercelProjectId: string) => Promise<void>,
  /** A newer ready production release than the one watched: its tasks shipped, the monitor carried over. */
  newRelease: (deployment: VercelDeployment) => Promise<void>,
): JobType<typeof releaseMonitorParams, typeof releaseMonitorResult> {
  // A ready deployment's project, creation and ready times never change: each monitor reads its
  // deployment from Vercel once, not on every run (every few minutes, for as long as it watches).
  const readyDeployments = new Map<string, VercelDeployment>();
  const watched: WatchedDeployment = async (id) => {
    const known = readyDeployments.get(id);
    if (known) return known;
    const deployment = await getDeployment(await session.connectedClient(), id, 'deploymentId');
    if (deployment.state === 'ready') readyDeployments.set(id, deployment);
    return deployment;
  };
  return {
    type: releaseMonitorType,
    title: 'Release monitor',
    params: releaseMonitorParams,
    result: releaseMonitorResult,
    async run(ctx, params, signal, progress) {
      const checkedAt = ctx.now();
      const outcomes: (ProbeOutcome & { url: string })[] = [];
      for (const [i, target] of params.urls.entries()) {
        progress({ done: i, total: params.urls.length, message: `Checking ${target.url}` });
        const outcome = await probe(ctx.fetch, { url: target.url, method: 'GET', expectStatus: target.expectStatus, expectText: target.expectText, timeoutMs: params.timeoutMs ?? 10_000 }, signal, () => performance.now());
        outcomes.push({ ...outcome, url: target.url });
        ctx.log(outcome.up ? 'info' : 'warn', `${target.url}: ${outcome.up ? `up (${outcome.status}, ${outcome.latencyMs} ms)` : `down (${outcome.error})`}`);
      }
      await recordChecks(ctx, params.deploymentId, checkedAt, outcomes);
      const down = outcomes.filter((o) => !o.up);
      let rolledBackTo: string | null = null;
      if (down.length && params.autoRollback) rolledBackTo = await maybeRollBack(session, production, watched, ctx, params, down, afterRollback);
      if (!rolledBackTo) await noticeNewRelease(session, production, watched, ctx, params.deploymentId, newRelease);
      if (down.length) {
        throw new Error(`${params.deploymentId} is down: ${down.map((o) => `${o.url} ${o.error ?? ''}`.trim()).join('; ')}${rolledBackTo ? ` — production was rolled back to ${rolledBackTo}` : ''}`);
      }
      return { deploymentId: params.deploymentId, checks: outcomes.map(({ url, up, status, latencyMs, error }) => ({ url, up, status, latencyMs, ...(error ? { error } : {}) })), rolledBackTo };
    },
  };
}

/**
 * Production serves a newer ready deployment than the one watched (made outside the app): hand it
 * to `newRelease`. Vercel not answering is a line in the run's log, not a failed run — the checks
 * are the run's outcome.
 */
async function noticeNewRelease(
  session: VercelSession,
  production: ProductionChanges,
  watched: WatchedDeployment,
  ctx: JobRunContext,
  watchedId: string,
  newRelease: (deployment: VercelDeployment) => Promise<void>,
): Promise<void> {
  try {
    const watching = await watched(watchedId);
    const servingId = await production.current(watching.vercelProjectId);
    if (!servingId || servingId === watchedId) return;
    const serving = await getDeployment(await session.connectedClient(), servingId, 'deploymentId');
    // An older one serving is a rollback, not a release: the monitor stays where it is.
    if (serving.state !== 'ready' || Date.parse(serving.createdAt) <= Date.parse(watching.createdAt)) return;
    ctx.log('info', `Production now serves ${serving.id} (${serving.url}), a newer release than ${watchedId}: following it.`);
    await newRelease(serving);
  } catch (error) {
    ctx.log('warn', `Could not ask Vercel which deployment serves production: ${(error as Error).message}`);
  }
}

/** A monitored deployment, read from Vercel once it is ready. */
type WatchedDeployment = (deploymentId: string) => Promise<VercelDeployment>;

async function recordChecks(ctx: JobRunContext, deploymentId: string, checkedAt: Date, outcomes: (ProbeOutcome & { url: string })[]): Promise<void> {
  // The job context's db is for reads; these rows are the monitor's own local record (never
  // synced, no doc behind them), written in one statement.
  await ctx.db.query(
    `INSERT INTO vercel_checks (deployment_id, url, checked_at, up, status, latency_ms, error)
     SELECT $1, u, $2, up, st, lat, err FROM unnest($3::text[], $4::bool[], $5::int[], $6::int[], $7::text[]) AS t(u, up, st, lat, err)`,
    [
      deploymentId,
      checkedAt,
      outcomes.map((o) => o.url),
      outcomes.map((o) => o.up),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.latencyMs),
      outcomes.map((o) => o.error ?? null),
    ],
  );
}

/** Failed runs in a row (a run fails when any of its URLs is down), newest first, up to `limit`. */
async function failedRunsInARow(ctx: JobRunContext, deploymentId: string, limit: number): Promise<number> {
  const { rows } = await ctx.db.query<{ up: boolean }>(
    'SELECT bool_and(up) AS up FROM vercel_checks WHERE deployment_id = $1 GROUP BY checked_at ORDER BY checked_at DESC LIMIT $2',
    [deploymentId, limit],
  );
  let failed = 0;
  for (const row of rows) {
    if (row.up) break;
    failed++;
  }
  return failed;
}

async function maybeRollBack(
  session: VercelSession,
  production: ProductionChanges,
  watched: WatchedDeployment,
  ctx: JobRunContext,
  params: ReleaseMonitorParams,
  down: (ProbeOutcome & { url: string })[],
  afterRollback: (vercelProjectId: string) => Promise<void>,
): Promise<string | null> {
  const rule = params.autoRollback!;
  if ((await failedRunsInARow(ctx, params.deploymentId, rule.afterFailures)) < rule.afterFailures) return null;
  const client = await session.connectedClient();
  const failing = await watched(params.deploymentId);
  const deployedAt = Date.parse(failing.readyAt ?? failing.createdAt);
  if (ctx.now().getTime() - deployedAt > rule.withinMinutes * 60_000) return null;
  if ((await production.current(failing.vercelProjectId)) !== failing.id) return null;
  const earlier = (await listDeployments(client, failing.vercelProjectId, 'production')).find(
    (d) => d.state === 'ready' && d.id !== failing.id && Date.parse(d.createdAt) < Date.parse(failing.createdAt),
  );
  const reason = `${rule.afterFailures} check${rule.afterFailures === 1 ? '' : 's'} in a row failed within ${rule.withinMinutes} min of the deploy (${down.map((o) => `${o.url}: ${o.error}`).join('; ')})`;
  // The incident's one row: a second run (or replica run) finding it inserted does nothing.
  const { rows } = await ctx.db.query<{ deployment_id: string }>(
    `INSERT INTO vercel_auto_rollbacks (deployment_id, vercel_project_id, to_deployment_id, reason, created_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (deployment_id) DO NOTHING RETURNING deployment_id`,
    [failing.id, failing.vercelProjectId, earlier?.id ?? null, reason, ctx.now()],
  );
  if (!rows[0]) return null;
  // Production of the link in the job's workspace (the job's own project when the link is gone).
  const link = (await linksOfVercelProject(session.ctx, failing.vercelProjectId)).find((l) => l.workspaceId === ctx.workspaceId);
  const target = link ?? { workspaceId: ctx.workspaceId, projectId: ctx.projectId ?? '', vercelProjectId: failing.vercelProjectId };
  if (!earlier) {
    await ctx.db.query('UPDATE vercel_auto_rollbacks SET error = $2 WHERE deployment_id = $1', [failing.id, 'no earlier ready production deployment']);
    await notify(ctx, `Could not roll back ${failing.url}`, `${reason}, but there is no earlier ready production deployment to roll back to.`);
    return null;
  }
  try {
    await production.rollback(target, earlier.id, { reason });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.db.query('UPDATE vercel_auto_rollbacks SET error = $2 WHERE deployment_id = $1', [failing.id, message]);
    await notify(ctx, `Automatic rollback failed: ${failing.url}`, `${reason}. Rolling back to ${earlier.id} failed: ${message}`);
    return null;
  }
  ctx.log('warn', `Rolled production back from ${failing.id} to ${earlier.id}: ${reason}`);
  await afterRollback(failing.vercelProjectId);
  await notify(
    ctx,
    `Rolled back production: ${failing.url}`,
    `Production went back from ${failing.id} (${failing.ref ?? failing.commitSha ?? 'deploy'}) to ${earlier.id} (${earlier.ref ?? earlier.commitSha ?? 'earlier deploy'}): ${reason}.`,
  );
  return earlier.id;
}

async function notify(ctx: JobRunContext, title: string, body: string): Promise<void> {
  await ctx.main.api.notify.show({ title: title.slice(0, 200), body: body.slice(0, 2000) }).catch(() => {});
}

/** `vercel.health`: the deployment's checks since it was made, summed up. */
export async function deploymentHealth(session: VercelSession, deploymentId: string): Promise<VercelHealth> {
  const { db } = session.ctx;
  const [{ rows: summary }, { rows: latest }, { rows: rollback }] = await Promise.all([
    db.query<{ checks: number; failures: number; p50: number | null; p95: number | null; last: Date | null }>(
      `SELECT count(*)::int AS checks, count(*) FILTER (WHERE NOT up)::int AS failures,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
              max(checked_at) AS last
       FROM vercel_checks WHERE deployment_id = $1`,
      [deploymentId],
    ),
    db.query<{ up: boolean; error: string | null }>(
      'SELECT up, error FROM vercel_checks WHERE deployment_id = $1 AND checked_at = (SELECT max(checked_at) FROM vercel_checks WHERE deployment_id = $1) ORDER BY up, id',
      [deploymentId],
    ),
    db.query<{ to_deployment_id: string | null; error: string | null }>('SELECT to_deployment_id, error FROM vercel_auto_rollbacks WHERE deployment_id = $1', [deploymentId]),
  ]);
  const { checks, failures, p50, p95, last } = summary[0]!;
  const lastFailed = latest.find((row) => !row.up);
  const status: VercelHealth['status'] = checks === 0 ? 'unknown' : lastFailed ? 'down' : failures > 0 || (p95 ?? 0) > slowP95Ms ? 'degraded' : 'ok';
  const lastError = lastFailed?.error ?? null;
  return {
    deploymentId,
    status,
    checks,
    failures,
    errorRate: checks ? failures / checks : 0,
    p50Ms: p50 === null ? null : Math.round(p50),
    p95Ms: p95 === null ? null : Math.round(p95),
    lastCheckAt: last ? last.toISOString() : null,
    lastError,
    rolledBackTo: rollback[0] && !rollback[0].error ? rollback[0].to_deployment_id : null,
  };
}
