/**
 * Run now from a device that is not the job's runner (README: run requests), through a real
 * relay: the member's replica B writes a run request into the job, the runner A serves it once —
 * also when A was offline as it was made, and not again after A restarts — and B sees the summary.
 * Two requests at once: the first is run, a later one arriving while it runs is recorded skipped,
 * and requests A had not seen when a newer one came are coalesced into it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startRelay, type RelayHandle } from '../../../sync-server/relay/relay-server';
import type { Job, JobExecution } from '../../contract';
import { createCore, type Core } from '../core';
import { nodeMain, type NodeMain } from '../main/main-client';
import { keyFileSealer } from '../sync/secrets';
import { converged, eventually } from '../testing/team';
import { tempDir } from '../testing/temp-core';
import { release, runsByKey, testJobTypes } from './testing/test-job-types';

let relay: RelayHandle;
let dir: { path: string; remove(): void };
let a: Core;
let aMain: NodeMain | null = null;
let b: Core;
let workspaceId: string;

/** A on its data dir, with main's sealer on a key file beside it (as the web host), so a restarted A reads its relay token. */
async function openA(): Promise<Core> {
  aMain?.close();
  aMain = nodeMain({ sealer: keyFileSealer(join(dir.path, 'secret.key')) });
  return createCore({ dataDir: join(dir.path, 'data'), main: aMain.client, jobTypes: testJobTypes });
}

beforeAll(async () => {
  relay = await startRelay({ port: 0, logger: 'silent' });
  dir = tempDir();
  a = await openA();
  const workspace = await a.api.workspaces.create({ name: 'Acme' });
  workspaceId = workspace.id;
  const created = await relay.createWorkspace({ name: 'Acme', id: workspace.id });
  await a.api.sync.publish({ workspaceId, invite: created.owner.invite });
  b = await createCore({ dataDir: null, jobTypes: testJobTypes });
  const token = await relay.issueToken({ workspace: workspaceId, role: 'member', name: 'Mia' });
  await b.api.profile.update({ displayName: 'Mia' });
  await b.api.sync.join({ invite: token.invite });
}, 60_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  aMain?.close();
  await relay?.close();
  dir?.remove();
});

/** A job on A (its runner), far from its scheduled time (1 January), seen by B. */
async function jobOnA(type: 'test.ok' | 'test.wait', key: string): Promise<Job> {
  const job = await a.api.jobs.create({ workspaceId, name: `Check ${key.slice(0, 6)}`, type, schedule: '0 3 1 1 *', timezone: 'UTC', params: { key } });
  await eventually(() => b.api.jobs.list({ workspaceId }), (jobs) => jobs.some((j) => j.id === job.id));
  return job;
}

const manualRuns = async (core: Core, jobId: string): Promise<JobExecution[]> =>
  (await core.api.jobs.executions({ jobId })).filter((e) => e.trigger === 'manual');

/** `jobs.runNow` on B: must be a request for A's replica. */
async function requestFromB(job: Job): Promise<string> {
  const result = await b.api.jobs.runNow({ id: job.id });
  if (!('requested' in result)) throw new Error(`expected a run request, got ${JSON.stringify(result)}`);
  expect(result.requested.runner).toBe(job.runner);
  return result.requested.id;
}

describe('run requests', () => {
  it('a member presses Run now on B: A runs it exactly once, B sees the summary; a restarted A does not run it again', async () => {
    const key = randomUUID();
    const job = await jobOnA('test.ok', key);
    const requestId = await requestFromB(job);

    const onB = await eventually(
      () => b.api.jobs.get({ id: job.id }),
      (j) => j.lastRunRequest?.id === requestId && j.lastStatus === 'succeeded',
    );
    expect(onB).toMatchObject({ runsHere: false, runRequest: { id: requestId, by: expect.any(String) }, lastRunRequest: { id: requestId, outcome: 'started' } });
    expect(onB.lastRunAt).not.toBeNull();
    await a.internals.scheduler.settled();
    await converged([a, b]);
    expect((await manualRuns(a, job.id)).map((e) => e.status)).toEqual(['succeeded']);
    expect(await b.api.jobs.executions({ jobId: job.id })).toEqual([]);
    expect(runsByKey.get(key)).toBe(1);

    // A restarts (same data dir, same replica): the request in the doc is served already.
    await a.close();
    a = await openA();
    await a.internals.scheduler.settled();
    await eventually(() => a.api.sync.status({ workspaceId }), (status) => status.state === 'connected' && status.pendingChanges === 0);
    await converged([a, b]);
    await a.internals.scheduler.settled();
    expect(await manualRuns(a, job.id)).toHaveLength(1);
    expect(runsByKey.get(key)).toBe(1);
  }, 60_000);

  it('a request made while A is offline is served once, after A reconnects', async () => {
    const key = randomUUID();
    const job = await jobOnA('test.ok', key);
    await a.internals.sync.setOnline(workspaceId, false);
    const requestId = await requestFromB(job);
    // B's doc has it; A cannot have seen it.
    expect((await b.api.jobs.get({ id: job.id })).runRequest?.id).toBe(requestId);
    expect(await manualRuns(a, job.id)).toEqual([]);

    await a.internals.sync.setOnline(workspaceId, true);
    await eventually(() => b.api.jobs.get({ id: job.id }), (j) => j.lastRunRequest?.id === requestId && j.lastStatus === 'succeeded');
    await a.internals.scheduler.settled();
    await converged([a, b]);
    await a.internals.scheduler.settled();
    expect((await manualRuns(a, job.id)).map((e) => e.status)).toEqual(['succeeded']);
    expect(runsByKey.get(key)).toBe(1);
  }, 60_000);

  it('two requests from B at once: one run; the other is coalesced into it or recorded skipped', async () => {
    const key = randomUUID();
    const job = await jobOnA('test.wait', key);
    const ids = await Promise.all([requestFromB(job), requestFromB(job)]);
    expect(new Set(ids).size).toBe(2);
    // The field holds the request written last; A serves that one in the end.
    const latest = (await b.api.jobs.get({ id: job.id })).runRequest!.id;
    expect(ids).toContain(latest);
    await eventually(() => a.api.jobs.get({ id: job.id }), (j) => j.lastRunRequest?.id === latest);
    await a.internals.scheduler.settled();
    const runs = await manualRuns(a, job.id);
    expect(runs.filter((e) => e.status === 'running')).toHaveLength(1);
    expect(runs.length === 1 || runs.filter((e) => e.status === 'skipped').length === 1).toBe(true);
    expect(runs.length).toBeLessThanOrEqual(2);
    expect(runsByKey.get(key)).toBe(1);

    release(key);
    await eventually(() => b.api.jobs.get({ id: job.id }), (j) => j.lastStatus === 'succeeded');
    await converged([a, b]);
    await a.internals.scheduler.settled();
    expect(runsByKey.get(key)).toBe(1);
  }, 60_000);

  it('Run now on A and a request from B at once: one runs, the other is recorded skipped', async () => {
    const key = randomUUID();
    const job = await jobOnA('test.wait', key);
    const [here, requestId] = await Promise.all([a.api.jobs.runNow({ id: job.id }), requestFromB(job)]);
    // On the runner, Run now answers with the execution as before.
    expect(here).toMatchObject({ execution: { trigger: 'manual', jobId: job.id } });
    const served = await eventually(() => a.api.jobs.get({ id: job.id }), (j) => j.lastRunRequest?.id === requestId);
    await a.internals.scheduler.settled();
    const runs = await manualRuns(a, job.id);
    expect(runs.map((e) => e.status).sort()).toEqual(['running', 'skipped']);
    expect(runsByKey.get(key)).toBe(1);
    // Whichever came second was skipped: A's own (then the request started the run) or the request.
    const hereSkipped = 'execution' in here && here.execution.status === 'skipped';
    expect(served.lastRunRequest!.outcome).toBe(hereSkipped ? 'started' : 'skipped');

    release(key);
    await eventually(() => b.api.jobs.get({ id: job.id }), (j) => j.lastStatus === 'succeeded');
    await converged([a, b]);
  }, 60_000);
});
