/**
 * Vercel through a real core (PGlite, the real client) against a loopback Vercel whose bodies are
 * schema-derived (testing/vercel-fixtures.ts) — and every body it sent is checked, at the end,
 * against the official `@vercel/sdk` response schemas, so the shapes are Vercel's. Time is a
 * hand-moved fake (the core's clock and Timers ports): a followed build's polls and a 429's wait
 * happen when the test moves the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, VercelEvent, Workspace } from '../../../contract';
import { createCore, type Core } from '../../core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { startVercelServer, type VercelServer } from './testing/vercel-server';

const token = 'vcp_GroundworkTestToken0123456789';
const start = new Date('2026-03-02T09:00:00.000Z');
const time = new FakeTime(start);
const events: VercelEvent[] = [];
let vercel: VercelServer;
let core: Core;
let workspace: Workspace;
let project: Project;

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
const at = (minutes: number) => start.getTime() - minutes * 60_000;

beforeAll(async () => {
  vercel = await startVercelServer({ token });
  vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null });
  vercel.teams.add('team_acme');
  const live = vercel.addDeployment({ id: 'dpl_Live1', projectId: 'prj_site', readyState: 'READY', target: 'production', created: at(120), ready: at(118), ref: 'main', sha: 'a'.repeat(40), message: 'Launch' });
  vercel.addDeployment({ id: 'dpl_Prev2', projectId: 'prj_site', readyState: 'READY', target: null, created: at(60), ready: at(58), ref: 'feature/menu', sha: 'b'.repeat(40), message: 'New menu' });
  vercel.projects.get('prj_site')!.production = live;
  core = await createCore({ dataDir: null, clock: time.clock, timers: time.timers, vercel: { followIntervalMs: 2000, maxRateLimitWaitSeconds: 60 } });
  core.events.on('vercel', (event) => events.push(event));
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
});

afterAll(async () => {
  await core?.close();
  await vercel?.close();
});

describe('vercel: connect', () => {
  it('a refused token is VALIDATION naming token, a team without access names teamId; nothing is stored', async () => {
    await expect(core.api.vercel.connect({ token: 'vcp_wrong', baseUrl: vercel.baseUrl })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'token' } });
    await expect(core.api.vercel.connect({ token, teamId: 'team_other', baseUrl: vercel.baseUrl })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('team_other'),
      details: { field: 'teamId' },
    });
    expect(await core.api.vercel.account()).toBeNull();
    await expect(core.api.vercel.projects()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('Settings → Vercel') });
  });

  it('connects with the team and shows the account without asking Vercel again', async () => {
    const account = await core.api.vercel.connect({ token, teamId: 'team_acme', baseUrl: vercel.baseUrl });
    expect(account).toEqual({ userId: expect.any(String), username: 'ana-lima', name: 'Ana Lima', email: 'ana@example.com', teamId: 'team_acme', baseUrl: vercel.baseUrl });
    const before = vercel.requests.length;
    expect(await core.api.vercel.account()).toEqual(account);
    expect(vercel.requests.length).toBe(before);
  });
});

describe('vercel: projects and links', () => {
  it('lists the team\'s projects (acting for the team) and links one; a 404 project is NOT_FOUND and writes nothing', async () => {
    const projects = await core.api.vercel.projects();
    expect(projects).toEqual([{ id: 'prj_site', name: 'site', framework: 'nextjs', repo: 'acme/site', linkedProjectIds: [] }]);
    expect(vercel.requests.at(-1)!.query.get('teamId')).toBe('team_acme');

    await expect(core.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_missing' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'vercelProjectId' } });
    await expect(core.api.vercel.deployments({ projectId: project.id })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'projectId' } });

    const link = await core.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_site' });
    expect(link).toMatchObject({ projectId: project.id, workspaceId: workspace.id, vercelProjectId: 'prj_site', vercelProjectName: 'site' });
    expect((await core.api.vercel.projects())[0]!.linkedProjectIds).toEqual([project.id]);
  });

  it('reads every page of projects: 150 come back (Vercel answers 100 at most, then `from` = pagination.next)', async () => {
    const more = Array.from({ length: 149 }, (_, i) => ({ id: `prj_more${String(i).padStart(3, '0')}`, name: `more-${i}`, production: null, updatedAt: at(200 + i) }));
    for (const p of more) vercel.projects.set(p.id, p);
    try {
      const before = vercel.requests.length;
      const projects = await core.api.vercel.projects();
      expect(projects).toHaveLength(150);
      // Newest first (prj_site has no `updatedAt`: last).
      expect(projects.map((p) => p.id)).toEqual([...more.map((p) => p.id), 'prj_site']);
      const pages = vercel.requests.slice(before).filter((r) => r.path === '/v10/projects');
      expect(pages.map((r) => [r.query.get('limit'), r.query.get('teamId')])).toEqual([['100', 'team_acme'], ['100', 'team_acme']]);
      expect(pages[0]!.query.get('from')).toBeNull();
      // The second page is asked with the first answer's continuation token.
      const first = vercel.sent.filter((s) => s.kind === 'projects').at(-2)!.body as { pagination: { next: string } };
      expect(pages[1]!.query.get('from')).toBe(first.pagination.next);
      expect(first.pagination.next).toMatch(/^[A-Z2-7]+$/);
    } finally {
      for (const p of more) vercel.projects.delete(p.id);
    }
  });

  it('lists deployments with state, target, ref, commit and creator; filters by target', async () => {
    const all = await core.api.vercel.deployments({ projectId: project.id });
    expect(all.map((d) => [d.id, d.state, d.target, d.ref, d.creator])).toEqual([
      ['dpl_Prev2', 'ready', 'preview', 'feature/menu', 'ana-lima'],
      ['dpl_Live1', 'ready', 'production', 'main', 'ana-lima'],
    ]);
    expect(all.map((d) => d.servesProduction)).toEqual([false, true]);
    expect(all[1]).toMatchObject({ commitSha: 'a'.repeat(40), commitMessage: 'Launch', url: expect.stringMatching(/^https:\/\/site-/), createdAt: new Date(at(120)).toISOString() });
    expect((await core.api.vercel.deployments({ projectId: project.id, target: 'production' })).map((d) => d.id)).toEqual(['dpl_Live1']);
  });
});

describe('vercel: deploy, follow, promote, roll back', () => {
  it('deploy → building → ready: the log arrives live as vercel events while it builds', async () => {
    const deployment = await core.api.vercel.deploy({ projectId: project.id, ref: 'main' });
    expect(deployment).toMatchObject({ state: 'building', target: 'production', ref: 'main' });
    const created = vercel.requests.find((r) => r.method === 'POST' && r.path === '/v13/deployments')!;
    expect(created.body).toMatchObject({ name: 'site', project: 'prj_site', gitSource: { type: 'github', repoId: 123456789, ref: 'main' } });

    vercel.log(deployment.id, [['command', 'Running "npm run build"'], ['stdout', 'Compiled successfully']], time.now().getTime() + 1000);
    await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
    expect(events.at(-1)).toMatchObject({ kind: 'build', workspaceId: workspace.id, projectId: project.id, deploymentId: deployment.id, state: 'building' });
    expect(events.at(-1)!.events.map((e) => e.text)).toEqual(['Running "npm run build"', 'Compiled successfully']);

    vercel.log(deployment.id, [['stdout', 'Deployment completed']], time.now().getTime() + 500);
    const d = vercel.deployments.find((x) => x.id === deployment.id)!;
    d.readyState = 'READY';
    d.ready = time.now().getTime() + 1500;
    await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
    expect(events.at(-1)).toMatchObject({ deploymentId: deployment.id, state: 'ready' });
    expect(events.at(-1)!.events.map((e) => e.text)).toEqual(['Deployment completed']);
    // Finished: no more polls.
    const polls = vercel.requests.length;
    await time.advanceTo(new Date(time.now().getTime() + 10_000), settle);
    expect(vercel.requests.length).toBe(polls);

    const log = await core.api.vercel.events({ deploymentId: deployment.id });
    expect(log).toMatchObject({ state: 'ready', errorLines: [] });
    expect(log.events).toHaveLength(3);
  });

  it('deploys the commit of a merged PR: its sha on the production branch', async () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const deployment = await core.api.vercel.deploy({ projectId: project.id, ref: sha });
    expect(vercel.requests.filter((r) => r.method === 'POST' && r.path === '/v13/deployments').at(-1)!.body).toMatchObject({ gitSource: { type: 'github', repoId: 123456789, ref: 'main', sha } });
    expect(deployment).toMatchObject({ state: 'building', commitSha: sha });
    const d = vercel.deployments.find((x) => x.id === deployment.id)!;
    d.readyState = 'CANCELED';
    await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
    expect(events.at(-1)).toMatchObject({ deploymentId: deployment.id, state: 'canceled' });
  });

  it('a failed build shows the log\'s error lines', async () => {
    vercel.addDeployment({ id: 'dpl_Broken3', projectId: 'prj_site', readyState: 'ERROR', target: null, created: at(30), ref: 'feature/bad', sha: 'c'.repeat(40), message: 'Oops', errorMessage: 'Command "npm run build" exited with 1' });
    vercel.log('dpl_Broken3', [['command', 'Running "npm run build"'], ['stderr', "Type error: Property 'x' does not exist"], ['stdout', 'Error: Command "npm run build" exited with 1']], at(29));
    const log = await core.api.vercel.events({ deploymentId: 'dpl_Broken3' });
    expect(log.state).toBe('error');
    expect(log.errorLines).toEqual(["Type error: Property 'x' does not exist", 'Error: Command "npm run build" exited with 1']);
    expect(await core.api.vercel.deployment({ id: 'dpl_Broken3' })).toMatchObject({ state: 'error', errorMessage: 'Command "npm run build" exited with 1' });
    await expect(core.api.vercel.deployment({ id: 'dpl_Nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'id' } });
  });

  it('promotes a ready preview; refuses a failed one without asking Vercel to change anything', async () => {
    const before = vercel.requests.filter((r) => r.method === 'POST').length;
    await expect(core.api.vercel.promote({ deploymentId: 'dpl_Broken3' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'deploymentId' } });
    expect(vercel.requests.filter((r) => r.method === 'POST').length).toBe(before);

    const production = vercel.projects.get('prj_site')!.production!.id;
    const change = await core.api.vercel.promote({ deploymentId: 'dpl_Prev2' });
    expect(change).toEqual({ projectId: project.id, deploymentId: 'dpl_Prev2', previousDeploymentId: production, queued: false });
    expect(vercel.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v10/projects/prj_site/promote/dpl_Prev2' });
    expect(vercel.projects.get('prj_site')!.production!.id).toBe('dpl_Prev2');
  });

  it('a promote Vercel answers 202 (queued behind a rolling release) says so: queued, production unchanged for now', async () => {
    const site = vercel.projects.get('prj_site')!;
    const serving = site.production!.id;
    vercel.addDeployment({ id: 'dpl_Queued4', projectId: 'prj_site', readyState: 'READY', target: null, created: at(20), ready: at(19), ref: 'feature/queue', sha: 'd'.repeat(40), message: 'Queued' });
    site.rollingRelease = true;
    try {
      const change = await core.api.vercel.promote({ deploymentId: 'dpl_Queued4' });
      expect(change).toEqual({ projectId: project.id, deploymentId: 'dpl_Queued4', previousDeploymentId: serving, queued: true });
      expect(vercel.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v10/projects/prj_site/promote/dpl_Queued4' });
      expect(site.production!.id).toBe(serving);
    } finally {
      site.rollingRelease = false;
    }
  });

  it('rolls production back to a chosen earlier deployment; two rollbacks at once are one request; a preview target is refused', async () => {
    await expect(core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Broken3' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'deploymentId' } });
    const rollbacks = () => vercel.requests.filter((r) => r.path.includes('/rollback/')).length;
    const [a, b] = await Promise.all([
      core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Live1' }),
      core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Live1' }),
    ]);
    expect(a).toEqual(b);
    expect(a).toEqual({ projectId: project.id, deploymentId: 'dpl_Live1', previousDeploymentId: 'dpl_Prev2', queued: false });
    expect(rollbacks()).toBe(1);
    expect(vercel.requests.find((r) => r.path.includes('/rollback/'))).toMatchObject({ method: 'POST', path: '/v1/projects/prj_site/rollback/dpl_Live1' });
    expect(vercel.projects.get('prj_site')!.production!.id).toBe('dpl_Live1');
    // Already serving: CONFLICT, no second request.
    await expect(core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Live1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(rollbacks()).toBe(1);
  });

  it('a 429 is waited out until x-ratelimit-reset (on the core\'s timers), then answered', async () => {
    const reset = Math.ceil(time.now().getTime() / 1000) + 20;
    vercel.rateLimit(1, reset);
    let answered = false;
    const pending = core.api.vercel.deployments({ projectId: project.id }).then((list) => {
      answered = true;
      return list;
    });
    await settle();
    expect(answered).toBe(false);
    await time.advanceTo(new Date(reset * 1000), settle);
    expect((await pending).length).toBeGreaterThan(2);
    // A reset too far away fails at once, naming when to try again.
    vercel.rateLimit(1, Math.ceil(time.now().getTime() / 1000) + 3600);
    await expect(core.api.vercel.deployments({ projectId: project.id })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('resets at') });
  });

  it('every body the loopback Vercel sent parses with @vercel/sdk\'s response schemas', () => {
    expect(new Set(vercel.sent.map((s) => s.kind))).toEqual(new Set(['user', 'projects', 'project', 'deployments', 'deployment', 'created', 'event']));
    expect(vercel.validateAll()).toEqual([]);
  });
});

describe('vercel: a linked Vercel project that is gone', () => {
  it('deployments is NOT_FOUND naming projectId and the Vercel project; nothing is written', async () => {
    const blog = await core.api.projects.create({ workspaceId: workspace.id, name: 'Blog', key: 'BLOG' });
    vercel.projects.set('prj_blog', { id: 'prj_blog', name: 'blog', production: null });
    await core.api.vercel.linkProject({ projectId: blog.id, vercelProjectId: 'prj_blog' });
    vercel.projects.delete('prj_blog');
    const count = async () => (await core.internals.db.query<{ n: number }>('SELECT (SELECT count(*) FROM doc_updates)::int + (SELECT count(*) FROM change_history)::int AS n')).rows[0]!.n;
    const before = await count();
    await expect(core.api.vercel.deployments({ projectId: blog.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^projectId: .*prj_blog/),
      details: { field: 'projectId' },
    });
    await settle();
    expect(await count()).toBe(before);
    // The link stays (a teammate may still reach the project; relinking is a person's choice).
    expect((await core.api.vercel.projects()).map((p) => p.id)).toEqual(['prj_site']);
  });
});

describe('vercel: disconnect', () => {
  it('forgets the token on this machine; the shared link stays; connecting again works', async () => {
    await core.api.vercel.disconnect();
    expect(await core.api.vercel.account()).toBeNull();
    expect(await core.internals.settings.get('vercel:connection')).toBeUndefined();
    await expect(core.api.vercel.deployments({ projectId: project.id })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('not connected') });
    await core.api.vercel.connect({ token, teamId: 'team_acme', baseUrl: vercel.baseUrl });
    expect((await core.api.vercel.deployments({ projectId: project.id })).length).toBeGreaterThan(2);
  });
});
