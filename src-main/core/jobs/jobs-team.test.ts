import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startRelay } from '../../../sync-server/relay/relay-server';
import type { Role } from '../../contract';
import { createCore, type Core } from '../core';
import { converged, eventually } from '../testing/team';
import { FakeTime } from './testing/fake-time';
import { runsByKey, testJobTypes } from './testing/test-job-types';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A relay, the owner's replica (which created and published the workspace) and one replica per other role. */
async function team(roles: Exclude<Role, 'owner'>[], time: FakeTime) {
  const relay = await startRelay({ port: 0, logger: 'silent' });
  cleanups.push(() => relay.close());
  const open = async () => {
    const core = await createCore({ dataDir: null, clock: time.clock, timers: time.timers, jobTypes: testJobTypes });
    cleanups.push(() => core.close());
    return core;
  };
  const owner = await open();
  const workspace = await owner.api.workspaces.create({ name: 'Acme' });
  const created = await relay.createWorkspace({ name: 'Acme', id: workspace.id });
  await owner.api.sync.publish({ workspaceId: workspace.id, invite: created.owner.invite });
  const others: Core[] = [];
  for (const role of roles) {
    const core = await open();
    const token = await relay.issueToken({ workspace: workspace.id, role, name: role });
    await core.api.profile.update({ displayName: role });
    await core.api.sync.join({ invite: token.invite });
    others.push(core);
  }
  return { owner, others, workspaceId: workspace.id };
}

const jobInput = (workspaceId: string, key: string) => ({
  workspaceId,
  name: 'Hourly check',
  type: 'test.ok',
  schedule: '0 * * * *',
  timezone: 'UTC',
  params: { key },
});

describe('jobs between two replicas', () => {
  it('the definition and its summary converge; only the runner executes; takeOver moves it', async () => {
    const time = new FakeTime('2026-05-01T09:30:00Z');
    const { owner, others, workspaceId } = await team(['admin'], time);
    const admin = others[0]!;
    const settle = async () => {
      await owner.internals.scheduler.settled();
      await admin.internals.scheduler.settled();
    };
    const key = randomUUID();
    const job = await owner.api.jobs.create(jobInput(workspaceId, key));
    expect(job.runsHere).toBe(true);
    const seen = await eventually(() => admin.api.jobs.list({ workspaceId }), (jobs) => jobs.length === 1);
    expect(seen[0]).toMatchObject({ id: job.id, runner: job.runner, runsHere: false, nextRunAt: '2026-05-01T10:00:00.000Z' });

    await time.advanceTo('2026-05-01T10:00:00Z', settle);
    expect(runsByKey.get(key)).toBe(1);
    expect(await owner.api.jobs.executions({ jobId: job.id })).toHaveLength(1);
    expect(await admin.api.jobs.executions({ jobId: job.id })).toHaveLength(0);
    await eventually(() => admin.api.jobs.get({ id: job.id }), (j) => j.lastStatus === 'succeeded' && j.nextRunAt === '2026-05-01T11:00:00.000Z');
    await converged([owner, admin]);

    // Only the runner runs it: Run now on another replica sends it a run request, which it serves.
    const asked = await admin.api.jobs.runNow({ id: job.id });
    expect(asked).toMatchObject({ requested: { runner: job.runner } });
    await eventually(() => admin.api.jobs.get({ id: job.id }), (j) => j.lastRunRequest?.outcome === 'started' && j.lastRunAt === '2026-05-01T10:00:00.000Z');
    await settle();
    expect(runsByKey.get(key)).toBe(2);
    expect((await owner.api.jobs.executions({ jobId: job.id })).map((e) => e.trigger)).toEqual(['manual', 'schedule']);

    const taken = await admin.api.jobs.takeOver({ id: job.id });
    expect(taken).toMatchObject({ runsHere: true });
    expect(taken.runner).not.toBe(job.runner);
    await eventually(() => owner.api.jobs.get({ id: job.id }), (j) => j.runner === taken.runner);
    await settle();

    await time.advanceTo('2026-05-01T11:00:00Z', settle);
    expect(runsByKey.get(key)).toBe(3);
    expect(await owner.api.jobs.executions({ jobId: job.id })).toHaveLength(2);
    expect((await admin.api.jobs.executions({ jobId: job.id })).map((e) => `${e.trigger}:${e.status}`)).toEqual(['schedule:succeeded']);
    await eventually(() => owner.api.jobs.get({ id: job.id }), (j) => j.lastRunAt === '2026-05-01T11:00:00.000Z' && j.nextRunAt === '2026-05-01T12:00:00.000Z');
    const dump = await converged([owner, admin]);
    expect(dump.jobs).toHaveLength(1);
  });
});

describe('job roles', () => {
  it('owners and admins manage; members run; viewers only read', async () => {
    const time = new FakeTime('2026-05-01T09:30:00Z');
    const { owner, others, workspaceId } = await team(['admin', 'member', 'viewer'], time);
    const [admin, member, viewer] = others as [Core, Core, Core];
    const job = await owner.api.jobs.create(jobInput(workspaceId, randomUUID()));
    for (const core of others) await eventually(() => core.api.jobs.list({ workspaceId }), (jobs) => jobs.length === 1);

    // Owner and admin: every management action.
    const adminJob = await admin.api.jobs.create(jobInput(workspaceId, randomUUID()));
    expect(adminJob.runsHere).toBe(true);
    expect(await admin.api.jobs.update({ id: job.id, name: 'Renamed' })).toMatchObject({ name: 'Renamed' });
    expect(await admin.api.jobs.pause({ id: job.id })).toMatchObject({ enabled: false, nextRunAt: null });
    await eventually(() => owner.api.jobs.get({ id: job.id }), (j) => !j.enabled);
    expect(await owner.api.jobs.resume({ id: job.id })).toMatchObject({ enabled: true });
    expect(await owner.api.jobs.runNow({ id: job.id })).toMatchObject({ execution: { status: 'queued', trigger: 'manual' } });
    await eventually(() => owner.api.jobs.list({ workspaceId }), (jobs) => jobs.length === 2);
    expect(await owner.api.jobs.delete({ id: adminJob.id })).toEqual({ id: adminJob.id });

    const manage = (core: Core) => [
      () => core.api.jobs.create(jobInput(workspaceId, randomUUID())),
      () => core.api.jobs.update({ id: job.id, name: 'Nope' }),
      () => core.api.jobs.pause({ id: job.id }),
      () => core.api.jobs.resume({ id: job.id }),
      () => core.api.jobs.delete({ id: job.id }),
      () => core.api.jobs.takeOver({ id: job.id }),
    ];
    for (const core of [member, viewer]) {
      for (const call of manage(core)) await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    // A member may run it (here it runs on the owner's device, so a run request goes there); a viewer may not.
    expect(await member.api.jobs.runNow({ id: job.id })).toMatchObject({ requested: { runner: job.runner } });
    await expect(viewer.api.jobs.runNow({ id: job.id })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/you are a viewer/) });
    // Everyone sees status and history.
    for (const core of [member, viewer]) {
      const seen = await eventually(() => core.api.jobs.list({ workspaceId }), (jobs) => jobs.length === 1 && jobs[0]!.name === 'Renamed');
      expect(seen[0]).toMatchObject({ id: job.id, enabled: true, runsHere: false });
      expect(await core.api.jobs.executions({ jobId: job.id })).toEqual([]);
    }
    await owner.internals.scheduler.settled();
  });
});
