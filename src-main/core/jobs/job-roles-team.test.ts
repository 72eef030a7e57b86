/**
 * What the Jobs page shows each role is what the core allows it, through a real relay: a viewer
 * reads jobs and their runs and is refused every change and run; a member may run and cancel but
 * not create, edit, pause or delete; the owner does it all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core';
import { startTeam, eventually, type Team } from '../testing/team';
import type { Job } from '../../contract';
import { testJobTypes } from './testing/test-job-types';

let team: Team;
let viewer: Core;
let job: Job;

beforeAll(async () => {
  team = await startTeam(2, undefined, { jobTypes: testJobTypes });
  const [owner] = team.cores;
  viewer = await createCore({ dataDir: null, jobTypes: testJobTypes });
  const token = await team.relay.issueToken({ workspace: team.workspace.id, role: 'viewer', name: 'Cleo' });
  await viewer.api.sync.join({ invite: token.invite });
  job = await owner!.api.jobs.create({ workspaceId: team.workspace.id, name: 'Nightly', type: 'test.ok', schedule: '0 2 * * *', timezone: 'UTC', params: { key: 'roles' }, enabled: false });
  await Promise.all(
    [team.cores[1]!, viewer].map((core) => eventually(() => core.api.jobs.list({ workspaceId: team.workspace.id }), (jobs) => jobs.length === 1)),
  );
}, 60_000);

afterAll(async () => {
  await viewer?.close();
  await team?.close();
});

describe('job roles across replicas', () => {
  it('a viewer reads jobs and their runs, and is refused every change and run (all at once)', async () => {
    expect((await viewer.api.jobs.get({ id: job.id })).name).toBe('Nightly');
    expect(await viewer.api.jobs.executions({ jobId: job.id })).toEqual([]);
    const refused = await Promise.allSettled([
      viewer.api.jobs.create({ workspaceId: team.workspace.id, name: 'Mine', type: 'test.ok', schedule: '0 2 * * *', timezone: 'UTC', params: { key: 'v' } }),
      viewer.api.jobs.update({ id: job.id, name: 'Renamed' }),
      viewer.api.jobs.pause({ id: job.id }),
      viewer.api.jobs.resume({ id: job.id }),
      viewer.api.jobs.delete({ id: job.id }),
      viewer.api.jobs.takeOver({ id: job.id }),
      viewer.api.jobs.runNow({ id: job.id }),
    ]);
    for (const result of refused) expect(result).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN', details: { role: 'viewer' } } });
    expect((await viewer.api.jobs.get({ id: job.id })).name).toBe('Nightly');
  });

  it('a member may run (here: a run request to the device that runs it) but not manage', async () => {
    const member = team.cores[1]!;
    const managed = await Promise.allSettled([member.api.jobs.update({ id: job.id, name: 'Renamed' }), member.api.jobs.delete({ id: job.id }), member.api.jobs.pause({ id: job.id })]);
    for (const result of managed) expect(result).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN', details: { role: 'member' } } });
    expect(await member.api.jobs.runNow({ id: job.id })).toMatchObject({ requested: { runner: job.runner } });
  });
});
