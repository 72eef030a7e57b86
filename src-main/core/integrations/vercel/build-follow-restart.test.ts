/**
 * A build followed here that ends while the app is closed still gets its end handled at the next
 * start: a real on-disk core deploys (deploy.started), is closed mid-build, Vercel finishes the
 * build meanwhile, and a new core on the same data dir sends deploy.ready once — not again at a
 * further start. A followed build deleted on Vercel meanwhile is let go. Loopback Vercel and a
 * loopback receiver verifying with `standardwebhooks`; time is the cores' fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { nodeMain } from '../../main/main-client';
import { ephemeralSealer } from '../../sync/secrets';
import { tempDir } from '../../testing/temp-core';
import { startReceiver, type LoopbackReceiver } from '../../webhooks/testing/loopback-receiver';
import { verifySigned } from '../../webhooks/testing/verify-signed';
import { startVercelServer, type VercelServer } from './testing/vercel-server';

const token = 'vcp_RestartTestToken0123456789';
const time = new FakeTime(new Date());
const dir = tempDir('groundwork-vercel-follow-');
// One sealer for both cores: the OS keychain outlives a restart.
const main = nodeMain({ sealer: ephemeralSealer() });
let vercel: VercelServer;
let receiver: LoopbackReceiver;

const open = () => createCore({ dataDir: dir.path, main: main.client, clock: time.clock, timers: time.timers, vercel: { followIntervalMs: 2000 } });
const settled = (core: Core) => async () => {
  await new Promise<void>((resolve) => setTimeout(resolve, 30));
  await core.internals.webhooks.idle();
};
const types = () => receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
const followed = async (core: Core) => (await core.internals.db.query<{ deployment_id: string }>('SELECT deployment_id FROM vercel_followed_builds')).rows.map((r) => r.deployment_id);

beforeAll(async () => {
  vercel = await startVercelServer({ token, clock: () => time.now().getTime() });
  vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null });
  receiver = await startReceiver();
});

afterAll(async () => {
  main.close();
  await receiver?.close();
  await vercel?.close();
  dir.remove();
});

describe('a followed build across a restart', () => {
  it('ends while the app is closed: deploy.ready at the next start, once; a build deleted on Vercel is let go', async () => {
    const first = await open();
    const workspace = await first.api.workspaces.create({ name: 'Acme' });
    const project = await first.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
    await first.api.vercel.connect({ token, baseUrl: vercel.baseUrl });
    await first.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_site' });
    const endpoint = await first.api.webhooks.create({ workspaceId: workspace.id, url: receiver.url, events: ['deploy.started', 'deploy.ready', 'deploy.failed'] });
    const [built, gone] = await Promise.all([
      first.api.vercel.deploy({ projectId: project.id, ref: 'main' }),
      first.api.vercel.deploy({ projectId: project.id, ref: 'feature/menu' }),
    ]);
    await receiver.waitFor(2);
    expect((await followed(first)).sort()).toEqual([built.id, gone.id].sort());
    // (Their answers recorded: a delivery still out at close would be sent again, same id.)
    await first.internals.webhooks.idle();
    await first.close();

    // While the app is closed: one build ends, the other is deleted.
    const deployment = vercel.deployments.find((d) => d.id === built.id)!;
    deployment.readyState = 'READY';
    deployment.ready = time.now().getTime();
    vercel.deployments.splice(vercel.deployments.findIndex((d) => d.id === gone.id), 1);

    const second = await open();
    try {
      await time.advanceTo(new Date(time.now().getTime() + 2000), settled(second));
      await receiver.waitFor(3);
      expect(types()).toEqual(['deploy.started', 'deploy.started', 'deploy.ready']);
      expect(JSON.parse(receiver.received[2]!.body)).toMatchObject({ workspaceId: workspace.id, data: { projectId: project.id, deployment: { id: built.id, state: 'ready' } } });
      expect(verifySigned(receiver.received, endpoint.secret, () => time.now().getTime())).toHaveLength(3);
      expect(await followed(second)).toEqual([]);
    } finally {
      await second.close();
    }

    // A further start: nothing is followed, nothing sent again.
    const third = await open();
    try {
      await time.advanceTo(new Date(time.now().getTime() + 10_000), settled(third));
      expect(types()).toHaveLength(3);
    } finally {
      await third.close();
    }
  });
});
