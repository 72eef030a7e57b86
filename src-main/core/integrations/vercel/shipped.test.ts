/**
 * Tasks know they shipped, through a real core: a task whose pull request (linked by the GitHub
 * sync, its merge in the local PR cache) is merged, then deployed from main: once the deployment
 * is ready and serves production the task is marked deployed (environment, time, link) and its
 * activity says so; a rollback to a deployment from before the merge flags it rolled back; a
 * failed deploy of a later merge flags that task failed. Time is the core's fake clock and timers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Task, Workspace } from '../../../contract';
import { createCore, type Core } from '../../core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { eventually } from '../../testing/team';
import { writeTaskLinks } from '../github/task-links-doc';
import { startVercelServer, type VercelServer } from './testing/vercel-server';

const token = 'vcp_ShippedTestToken0123456789';
const start = new Date('2026-03-02T12:00:00.000Z');
const time = new FakeTime(start);
let vercel: VercelServer;
let core: Core;
let workspace: Workspace;
let project: Project;
let task: Task;
let later: Task;

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
const hoursAgo = (h: number) => start.getTime() - h * 3_600_000;

/** A merged PR as the GitHub sync leaves it: the cached pull and the task's shared `pull` link. */
async function mergedPull(t: Task, number: number, mergedAt: Date): Promise<void> {
  await core.internals.db.query(
    `INSERT INTO github_pulls (repo, number, title, body, state, author, head_ref, head_sha, base_ref, url, created_at, updated_at, merged_at, closed_at)
     VALUES ('acme/site', $1, $2, '', 'merged', 'ana', 'fix', $3, 'main', $4, $5, $5, $5, $5)`,
    [number, `Fix ${t.key}`, String(number).repeat(40).slice(0, 40), `https://github.com/acme/site/pull/${number}`, mergedAt],
  );
  await core.internals.mutate(workspace.id, () =>
    writeTaskLinks(core.internals, workspace.id, project.id, { kind: 'job', jobIds: [] }, [
      { taskId: t.id, repo: 'acme/site', kind: 'pull', ref: String(number), title: `Fix ${t.key}`, url: `https://github.com/acme/site/pull/${number}`, state: 'merged' },
    ]),
  );
}

/** Vercel finishes the build: ready (and serving production) or failed; the follower's next poll sees it. */
async function finish(id: string, state: 'READY' | 'ERROR'): Promise<void> {
  const d = vercel.deployments.find((x) => x.id === id)!;
  d.readyState = state;
  if (state === 'READY') {
    d.ready = time.now().getTime();
    vercel.projects.get('prj_site')!.production = d;
  }
  await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
  await settle();
}

beforeAll(async () => {
  vercel = await startVercelServer({ token, clock: () => time.now().getTime() });
  vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null });
  const old = vercel.addDeployment({ id: 'dpl_Old', projectId: 'prj_site', readyState: 'READY', target: 'production', created: hoursAgo(48), ready: hoursAgo(48), ref: 'main', sha: 'e'.repeat(40), message: 'Before' });
  vercel.projects.get('prj_site')!.production = old;
  core = await createCore({ dataDir: null, clock: time.clock, timers: time.timers });
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
  task = await core.api.tasks.create({ projectId: project.id, title: 'Fix the login' });
  later = await core.api.tasks.create({ projectId: project.id, title: 'Faster search' });
  await core.api.vercel.connect({ token, baseUrl: vercel.baseUrl });
  await core.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_site' });
});

afterAll(async () => {
  await core?.close();
  await vercel?.close();
});

describe('tasks know they shipped', () => {
  it('a merged PR deployed to production marks its task deployed; its activity says so', async () => {
    await mergedPull(task, 12, new Date(hoursAgo(1)));
    expect((await core.api.tasks.get({ id: task.id })).deploy ?? null).toBeNull();
    const deployment = await core.api.vercel.deploy({ projectId: project.id, ref: 'main' });
    await finish(deployment.id, 'READY');
    // The follower's last poll saw it ready; the marks are written right after (bounded wait on a busy machine).
    const shipped = await eventually(() => core.api.tasks.get({ id: task.id }), (t) => t.deploy != null);
    expect(shipped.deploy).toEqual({ state: 'deployed', environment: 'production', deploymentId: deployment.id, url: deployment.url, at: new Date(vercel.deployments.find((d) => d.id === deployment.id)!.ready!).toISOString(), pull: 'acme/site#12' });
    expect((await core.api.tasks.get({ id: later.id })).deploy ?? null).toBeNull();
    const activity = (await core.api.tasks.history({ id: task.id })).filter((e) => e.field === 'deploy');
    expect(activity).toMatchObject([{ action: 'changed', newValue: { state: 'deployed', deploymentId: deployment.id }, origin: 'system' }]);
  });

  it('a rollback that takes its commit out of production flags it rolled back', async () => {
    await core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Old' });
    expect((await core.api.tasks.get({ id: task.id })).deploy).toMatchObject({ state: 'rolled_back', deploymentId: 'dpl_Old', pull: 'acme/site#12' });
    const activity = (await core.api.tasks.history({ id: task.id })).filter((e) => e.field === 'deploy');
    expect(activity.map((e) => (e.newValue as { state: string }).state).sort()).toEqual(['deployed', 'rolled_back']);
    // Nothing changed since: looking again writes nothing more.
    await core.api.vercel.deployments({ projectId: project.id });
    await settle();
    expect((await core.api.tasks.history({ id: task.id })).filter((e) => e.field === 'deploy')).toHaveLength(2);
  });

  it('a failed production deploy of a later merge flags that task failed', async () => {
    await time.advanceTo(new Date(time.now().getTime() + 60_000), settle);
    await mergedPull(later, 13, time.now());
    await time.advanceTo(new Date(time.now().getTime() + 60_000), settle);
    const deployment = await core.api.vercel.deploy({ projectId: project.id, ref: 'main' });
    await finish(deployment.id, 'ERROR');
    expect((await eventually(() => core.api.tasks.get({ id: later.id }), (t) => t.deploy != null)).deploy).toMatchObject({ state: 'failed', deploymentId: deployment.id, pull: 'acme/site#13' });
    expect(vercel.validateAll()).toEqual([]);
  });
});
