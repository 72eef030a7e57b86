/**
 * Release health through the real scheduler: a `release.monitor` job checks a local site every 5
 * minutes (time moved by hand: the core's clock and Timers ports). The site goes down after a
 * deploy: the job's failure alerts once, production is rolled back once (with a notification
 * naming both deployments and why), later failing runs roll back nothing more, and the site's
 * return is the job's "recovered". Health sums up the checks since the deploy. The rollback is ONE
 * `deploy.rolled_back` webhook event saying it was automatic and why (a loopback receiver verifies
 * it with the independent `standardwebhooks` package).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Notification, Project, Workspace } from '../../../contract';
import { createCore, type Core } from '../../core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { nodeMain } from '../../main/main-client';
import { eventually } from '../../testing/team';
import { startReceiver, type LoopbackReceiver } from '../../webhooks/testing/loopback-receiver';
import { verifySigned } from '../../webhooks/testing/verify-signed';
import { startVercelServer, type VercelServer } from './testing/vercel-server';

const token = 'vcp_MonitorTestToken0123456789';
const start = new Date('2026-03-02T09:58:00.000Z');
const time = new FakeTime(start);
const notes: Notification[] = [];
let vercel: VercelServer;
let site: Server;
let siteUrl = '';
/** The site answers 503 while this is set (the bad deploy's bug). */
let broken = false;
let core: Core;
let mainClose: () => void;
let workspace: Workspace;
let project: Project;
let receiver: LoopbackReceiver;
let secret = '';

let jobId = '';
/** After each timer: the scheduler's bookkeeping, then the run it started (real HTTP to the site) until it ended. */
async function settle(): Promise<void> {
  await core.internals.scheduler.settled();
  for (let i = 0; i < 500 && jobId; i++) {
    const running = (await core.api.jobs.executions({ jobId })).some((e) => e.status === 'running' || e.status === 'queued');
    if (!running) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await core.internals.scheduler.settled();
}
/** The deployment a monitor job watches. */
const watched = (job: Job) => (job.params as { deploymentId: string }).deploymentId;
const minutes = (n: number) => new Date(time.now().getTime() + n * 60_000);

beforeAll(async () => {
  vercel = await startVercelServer({ token });
  vercel.projects.set('prj_shop', { id: 'prj_shop', name: 'shop', production: null });
  const ms = start.getTime();
  vercel.addDeployment({ id: 'dpl_Old', projectId: 'prj_shop', readyState: 'READY', target: 'production', created: ms - 2 * 86_400_000, ready: ms - 2 * 86_400_000 + 60_000, ref: 'main', sha: '1'.repeat(40), message: 'Stable' });
  const fresh = vercel.addDeployment({ id: 'dpl_New', projectId: 'prj_shop', readyState: 'READY', target: 'production', created: ms - 120_000, ready: ms - 60_000, ref: 'main', sha: '2'.repeat(40), message: 'Risky' });
  vercel.projects.get('prj_shop')!.production = fresh;
  site = createServer((_req, res) => {
    res.writeHead(broken ? 503 : 200, { 'content-type': 'text/html' });
    res.end(broken ? 'Internal error' : '<h1>Welcome to the shop</h1>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  const main = nodeMain({ notify: (n) => notes.push(n) });
  mainClose = main.close;
  core = await createCore({ dataDir: null, clock: time.clock, timers: time.timers, main: main.client });
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Shop', key: 'SHOP' });
  await core.api.vercel.connect({ token, baseUrl: vercel.baseUrl });
  await core.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_shop' });
  receiver = await startReceiver();
  ({ secret } = await core.api.webhooks.create({ workspaceId: workspace.id, url: receiver.url, events: ['deploy.rolled_back'] }));
});

afterAll(async () => {
  await core?.close();
  await receiver?.close();
  mainClose?.();
  site?.closeAllConnections();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  await vercel?.close();
});

describe('release.monitor', () => {
  it('records checks; a site that goes down alerts once, rolls back once, and recovers', async () => {
    expect(await core.api.vercel.health({ deploymentId: 'dpl_New' })).toMatchObject({ status: 'unknown', checks: 0 });
    // Bad params are the job type's VALIDATION, naming the field.
    await expect(
      core.api.jobs.create({ workspaceId: workspace.id, projectId: project.id, name: 'Shop release', type: 'release.monitor', schedule: '*/5 * * * *', timezone: 'UTC', params: { deploymentId: 'dpl_New', urls: [] } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('urls') });
    const job = await core.api.jobs.create({
      workspaceId: workspace.id,
      projectId: project.id,
      name: 'Shop release',
      type: 'release.monitor',
      schedule: '*/5 * * * *',
      timezone: 'UTC',
      params: { deploymentId: 'dpl_New', urls: [{ url: siteUrl, expectText: 'Welcome' }], autoRollback: { afterFailures: 3, withinMinutes: 60 } },
    });
    jobId = job.id;

    await time.advanceTo(minutes(2), settle); // 10:00: up
    expect(await core.api.vercel.health({ deploymentId: 'dpl_New' })).toMatchObject({ status: 'ok', checks: 1, failures: 0, errorRate: 0, p50Ms: expect.any(Number), p95Ms: expect.any(Number) });

    broken = true;
    await time.advanceTo(minutes(5), settle); // 10:05: down — the job's failure alert
    expect(await core.api.vercel.health({ deploymentId: 'dpl_New' })).toMatchObject({ status: 'down', checks: 2, failures: 1, errorRate: 0.5, lastError: '503' });
    expect(notes.map((n) => n.title)).toEqual(['Job failed: Shop release']);

    await time.advanceTo(minutes(10), settle); // 10:10 down, 10:15 down: the third in a row rolls back
    const rollbacks = () => vercel.requests.filter((r) => r.path.includes('/rollback/'));
    expect(rollbacks().map((r) => r.path)).toEqual(['/v1/projects/prj_shop/rollback/dpl_Old']);
    expect(rollbacks()[0]!.query.get('description')).toContain('3 checks in a row failed within 60 min');
    expect(vercel.projects.get('prj_shop')!.production!.id).toBe('dpl_Old');
    expect(notes.map((n) => n.title)).toEqual(['Job failed: Shop release', expect.stringContaining('Rolled back production')]);
    expect(notes[1]!.body).toMatch(/from dpl_New .* to dpl_Old .*3 checks in a row failed within 60 min of the deploy .*503/);
    expect(await core.api.vercel.health({ deploymentId: 'dpl_New' })).toMatchObject({ status: 'down', failures: 3, rolledBackTo: 'dpl_Old' });
    // The webhook: production back on dpl_Old from dpl_New, by the monitor, with its reason.
    const [hook] = await receiver.waitFor(1);
    expect(verifySigned([hook!], secret, () => time.now().getTime())[0]).toMatchObject({
      type: 'deploy.rolled_back',
      workspaceId: workspace.id,
      data: {
        projectId: project.id,
        deployment: { id: 'dpl_Old', vercelProjectId: 'prj_shop', target: 'production', servesProduction: true },
        previousDeploymentId: 'dpl_New',
        automatic: true,
        reason: expect.stringMatching(/^3 checks in a row failed within 60 min of the deploy \(.*503\)$/),
      },
    });

    // Still failing (say the bug was elsewhere): no second rollback for the same incident, no new alert.
    await time.advanceTo(minutes(10), settle);
    expect(rollbacks()).toHaveLength(1);
    expect(notes).toHaveLength(2);
    await core.internals.webhooks.idle();
    expect(receiver.received).toHaveLength(1);

    broken = false;
    await time.advanceTo(minutes(5), settle);
    expect(notes.map((n) => n.title)).toEqual(['Job failed: Shop release', expect.stringContaining('Rolled back production'), 'Job recovered: Shop release']);
    const health = await core.api.vercel.health({ deploymentId: 'dpl_New' });
    expect(health).toMatchObject({ status: 'degraded', checks: 7, failures: 5, rolledBackTo: 'dpl_Old' });
    expect(health.errorRate).toBeCloseTo(5 / 7);
    expect(rollbacks()).toHaveLength(1);
    expect((await core.api.jobs.executions({ jobId: job.id })).length).toBe(7);
    expect(vercel.validateAll()).toEqual([]);
  });

  it('a new production release gets the monitor carried over (same URLs and rule), the old one paused', async () => {
    const jobsBefore = await core.api.jobs.list({ workspaceId: workspace.id, projectId: project.id });
    expect(jobsBefore).toHaveLength(1);
    const release = await core.api.vercel.deploy({ projectId: project.id, ref: 'main' });
    const built = vercel.deployments.find((d) => d.id === release.id)!;
    built.readyState = 'READY';
    built.ready = time.now().getTime();
    await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
    const jobs = await eventually(() => core.api.jobs.list({ workspaceId: workspace.id, projectId: project.id }), (list) => list.length === 2);
    const next = jobs.find((j) => j.id !== jobsBefore[0]!.id)!;
    expect(next).toMatchObject({ type: 'release.monitor', name: `Shop release · ${release.id}`, schedule: '*/5 * * * *', enabled: true, params: { deploymentId: release.id, urls: [{ url: siteUrl, expectText: 'Welcome' }], autoRollback: { afterFailures: 3, withinMinutes: 60 } } });
    expect(jobs.find((j) => j.id === jobsBefore[0]!.id)).toMatchObject({ enabled: false });
    jobId = next.id;
    await time.advanceTo(minutes(5), settle);
    expect(await core.api.vercel.health({ deploymentId: release.id })).toMatchObject({ status: 'ok', checks: 1 });
  });

  it('a release made outside the app (a git push) is noticed by the next run: the monitor moves to it', async () => {
    const watching = (await core.api.jobs.list({ workspaceId: workspace.id, projectId: project.id })).find((j) => j.id === jobId)!;
    // Vercel built and released a push by itself, after the release watched: the app followed nothing.
    const after = vercel.deployments.find((d) => d.id === watched(watching))!.created + 60_000;
    const pushed = vercel.addDeployment({ id: 'dpl_Pushed', projectId: 'prj_shop', readyState: 'READY', target: 'production', created: after, ready: after + 60_000, ref: 'main', sha: '3'.repeat(40), message: 'Pushed' });
    vercel.projects.get('prj_shop')!.production = pushed;
    await time.advanceTo(minutes(5), settle);
    const jobs = await eventually(() => core.api.jobs.list({ workspaceId: workspace.id, projectId: project.id }), (list) => list.some((j) => watched(j) === 'dpl_Pushed'));
    expect(jobs.find((j) => watched(j) === 'dpl_Pushed')).toMatchObject({ type: 'release.monitor', enabled: true, params: { urls: [{ url: siteUrl, expectText: 'Welcome' }] } });
    expect(jobs.find((j) => j.id === watching.id)).toMatchObject({ enabled: false });
    const [run] = await core.api.jobs.executions({ jobId: watching.id });
    expect((await core.api.jobs.log({ executionId: run!.id })).map((l) => l.message)).toContainEqual(expect.stringContaining('Production now serves dpl_Pushed'));
    // One carried over, not one per run: the next run of the new monitor makes none.
    jobId = jobs.find((j) => watched(j) === 'dpl_Pushed')!.id;
    await time.advanceTo(minutes(5), settle);
    expect((await core.api.jobs.list({ workspaceId: workspace.id, projectId: project.id })).filter((j) => watched(j) === 'dpl_Pushed')).toHaveLength(1);
    expect(vercel.validateAll()).toEqual([]);
  });
});
