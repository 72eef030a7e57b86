/**
 * The `deploy.*` webhook events through a real core (PGlite, the real Vercel client and webhook
 * sender) against the loopback Vercel and two loopback receivers, each verifying every signature
 * with the independent `standardwebhooks` package: deploy → deploy.started, the followed build
 * ready → deploy.ready, a failed or canceled one → deploy.failed, promote (201 and 202) → deploy.promoted,
 * rollback → deploy.rolled_back; an endpoint not subscribed to them gets none. The documented
 * examples in docs/WEBHOOKS.md have exactly the fields sent. Time is the core's fake clock.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, WebhookEndpointWithSecret, Workspace } from '../../../contract';
import { createCore, type Core } from '../../core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { startReceiver, type LoopbackReceiver, type Received } from '../../webhooks/testing/loopback-receiver';
import { verifySigned } from '../../webhooks/testing/verify-signed';
import { startVercelServer, type VercelServer } from './testing/vercel-server';

const token = 'vcp_WebhookTestToken0123456789';
// Starts at the real now: the library's verify checks the timestamp against the (faked) clock.
const time = new FakeTime(new Date());
let vercel: VercelServer;
let core: Core;
let workspace: Workspace;
let project: Project;
let receiver: LoopbackReceiver;
let unsubscribed: LoopbackReceiver;
let endpoint: WebhookEndpointWithSecret;

const settle = async () => {
  await new Promise<void>((resolve) => setTimeout(resolve, 30));
  await core.internals.webhooks.idle();
};
const ago = (minutes: number) => time.now().getTime() - minutes * 60_000;
const bodies = (received: Received[]) => received.map((r) => JSON.parse(r.body) as { type: string; timestamp: string; workspaceId: string; data: Record<string, unknown> });

function verifyAll(received: Received[], secret: string) {
  expect(verifySigned(received, secret, () => time.now().getTime())).toEqual(received.map((r) => JSON.parse(r.body)));
}

/** Vercel finishes the build; the follower's next poll sees it. */
async function finish(id: string, state: 'READY' | 'ERROR', errorMessage?: string): Promise<void> {
  const d = vercel.deployments.find((x) => x.id === id)!;
  d.readyState = state;
  if (state === 'READY') d.ready = time.now().getTime();
  if (errorMessage) d.errorMessage = errorMessage;
  await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
}

beforeAll(async () => {
  vercel = await startVercelServer({ token, clock: () => time.now().getTime() });
  vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null });
  const live = vercel.addDeployment({ id: 'dpl_Live1', projectId: 'prj_site', readyState: 'READY', target: 'production', created: ago(120), ready: ago(118), ref: 'main', sha: 'a'.repeat(40), message: 'Launch' });
  vercel.addDeployment({ id: 'dpl_Prev2', projectId: 'prj_site', readyState: 'READY', target: null, created: ago(60), ready: ago(58), ref: 'feature/menu', sha: 'b'.repeat(40), message: 'New menu' });
  vercel.projects.get('prj_site')!.production = live;
  core = await createCore({ dataDir: null, clock: time.clock, timers: time.timers, vercel: { followIntervalMs: 2000 } });
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
  await core.api.vercel.connect({ token, baseUrl: vercel.baseUrl });
  await core.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_site' });
  receiver = await startReceiver();
  unsubscribed = await startReceiver('/other');
  endpoint = await core.api.webhooks.create({
    workspaceId: workspace.id,
    url: receiver.url,
    events: ['deploy.started', 'deploy.ready', 'deploy.failed', 'deploy.promoted', 'deploy.rolled_back'],
  });
  await core.api.webhooks.create({ workspaceId: workspace.id, url: unsubscribed.url, events: ['task.created', 'job.failed'] });
});

afterAll(async () => {
  await core?.close();
  await receiver?.close();
  await unsubscribed?.close();
  await vercel?.close();
});

describe('deploy.* webhook events', () => {
  it('deploy → deploy.started, the followed build ready → deploy.ready, with the deployment and both project ids', async () => {
    const deployment = await core.api.vercel.deploy({ projectId: project.id, ref: 'main' });
    const [started] = bodies(await receiver.waitFor(1));
    expect(started).toEqual({
      type: 'deploy.started',
      timestamp: time.now().toISOString(),
      workspaceId: workspace.id,
      data: { projectId: project.id, deployment },
    });
    expect(started!.data.deployment).toMatchObject({ id: deployment.id, vercelProjectId: 'prj_site', state: 'building', target: 'production', ref: 'main', commitSha: 'f'.repeat(40), url: expect.stringMatching(/^https:\/\//) });

    await finish(deployment.id, 'READY');
    const readyAt = new Date(vercel.deployments.find((d) => d.id === deployment.id)!.ready!).toISOString();
    const [, ready] = bodies(await receiver.waitFor(2));
    expect(ready).toMatchObject({ type: 'deploy.ready', workspaceId: workspace.id, data: { projectId: project.id, deployment: { id: deployment.id, vercelProjectId: 'prj_site', state: 'ready', readyAt } } });
    // Vercel serves it in production now (as a production build that is ready).
    vercel.projects.get('prj_site')!.production = vercel.deployments.find((d) => d.id === deployment.id)!;
  });

  it('a followed build that fails → deploy.failed, with Vercel\'s error message; a canceled one → deploy.failed saying canceled', async () => {
    const deployment = await core.api.vercel.deploy({ projectId: project.id, ref: 'feature/bad' });
    await receiver.waitFor(3);
    await finish(deployment.id, 'ERROR', 'Command "npm run build" exited with 1');
    const failed = bodies(await receiver.waitFor(4))[3]!;
    expect(failed).toMatchObject({ type: 'deploy.failed', data: { projectId: project.id, deployment: { id: deployment.id, state: 'error', target: 'preview', ref: 'feature/bad', errorMessage: 'Command "npm run build" exited with 1' } } });

    const canceled = await core.api.vercel.deploy({ projectId: project.id, ref: 'feature/stop' });
    await receiver.waitFor(5);
    vercel.deployments.find((d) => d.id === canceled.id)!.readyState = 'CANCELED';
    await time.advanceTo(new Date(time.now().getTime() + 2000), settle);
    expect(bodies(await receiver.waitFor(6))[5]).toMatchObject({ type: 'deploy.failed', data: { deployment: { id: canceled.id, state: 'canceled', errorMessage: null } } });
  });

  it('promote → deploy.promoted naming the deployment production served before; a 202 says queued', async () => {
    const serving = vercel.projects.get('prj_site')!.production!.id;
    await core.api.vercel.promote({ deploymentId: 'dpl_Prev2' });
    const promoted = bodies(await receiver.waitFor(7))[6]!;
    expect(promoted).toMatchObject({
      type: 'deploy.promoted',
      data: { projectId: project.id, deployment: { id: 'dpl_Prev2', vercelProjectId: 'prj_site', state: 'ready', servesProduction: true }, previousDeploymentId: serving, queued: false },
    });

    vercel.projects.get('prj_site')!.rollingRelease = true;
    try {
      await core.api.vercel.promote({ deploymentId: 'dpl_Live1' });
    } finally {
      vercel.projects.get('prj_site')!.rollingRelease = false;
    }
    const queued = bodies(await receiver.waitFor(8))[7]!;
    expect(queued).toMatchObject({ type: 'deploy.promoted', data: { deployment: { id: 'dpl_Live1', servesProduction: false }, previousDeploymentId: 'dpl_Prev2', queued: true } });
  });

  it('a rollback → ONE deploy.rolled_back (two clicks at once are one), saying it was a person\'s, from which deployment', async () => {
    await Promise.all([core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Live1' }), core.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_Live1' })]);
    const rolledBack = bodies(await receiver.waitFor(9))[8]!;
    expect(rolledBack).toMatchObject({
      type: 'deploy.rolled_back',
      data: { projectId: project.id, deployment: { id: 'dpl_Live1', target: 'production', servesProduction: true }, previousDeploymentId: 'dpl_Prev2', automatic: false, reason: null },
    });
    await settle();
    expect(receiver.received).toHaveLength(9);
  });

  it('every delivery verifies with standardwebhooks, each has its own webhook-id; the unsubscribed endpoint got none', async () => {
    verifyAll(receiver.received, endpoint.secret);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(9);
    expect(bodies(receiver.received).map((b) => b.type)).toEqual(['deploy.started', 'deploy.ready', 'deploy.started', 'deploy.failed', 'deploy.started', 'deploy.failed', 'deploy.promoted', 'deploy.promoted', 'deploy.rolled_back']);
    expect(unsubscribed.received).toEqual([]);
    expect(vercel.validateAll()).toEqual([]);
  });

  it('docs/WEBHOOKS.md\'s deploy examples have exactly the fields sent', () => {
    const docs = readFileSync(new URL('../../../../docs/WEBHOOKS.md', import.meta.url), 'utf8');
    const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as { type: string }).filter((e) => e.type.startsWith('deploy.'));
    expect(examples.map((e) => e.type).sort()).toEqual(['deploy.failed', 'deploy.promoted', 'deploy.ready', 'deploy.rolled_back', 'deploy.started']);
    /** The field names at every depth (values' types vary: "…" stands for ids in the docs). */
    const shape = (value: unknown): unknown =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shape(v)])) : null;
    const sent = bodies(receiver.received);
    for (const example of examples) expect(shape(example), example.type).toEqual(shape(sent.find((b) => b.type === example.type)));
  });
});
