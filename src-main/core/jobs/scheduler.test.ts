import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { JobEvent, JobExecution } from '../../contract';
import { createCore, type Core } from '../core';
import { nodeMain } from '../main/main-client';
import { FakeTime } from './testing/fake-time';
import { release, runsByKey, testJobTypes } from './testing/test-job-types';
import { runHere } from './testing/run-here';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(at: string) {
  const time = new FakeTime(at);
  const notes: { title: string; body: string }[] = [];
  const main = nodeMain({ notify: (n) => notes.push(n) });
  const core = await createCore({ dataDir: null, clock: time.clock, timers: time.timers, jobTypes: testJobTypes, main: main.client });
  const events: JobEvent[] = [];
  core.events.on('jobs', (e) => events.push(e));
  cleanups.push(async () => {
    await core.close();
    main.close();
  });
  const workspace = await core.api.workspaces.create({ name: 'Acme' });
  const settle = () => core.internals.scheduler.settled();
  return { time, core, workspace, notes, events, main, settle };
}

const key = () => randomUUID();
const statuses = async (core: Core, jobId: string) => (await core.api.jobs.executions({ jobId })).map((e) => `${e.trigger}:${e.status}`).reverse();

describe('cron validation', () => {
  it('names the field and the bad part', async () => {
    const { core } = await start('2026-01-01T00:00:00Z');
    const cases: [string, string, RegExp][] = [
      ['61 * * * *', 'UTC', /^schedule: minute 61 is out of range \(0–59\)$/],
      ['0 24 * * *', 'UTC', /^schedule: hour 24 is out of range/],
      ['0 0 32 * *', 'UTC', /^schedule: day of month 32 is out of range/],
      ['0 0 * 13 *', 'UTC', /^schedule: month 13 is out of range/],
      ['0 0 * * 9', 'UTC', /^schedule: day of week 9 is out of range/],
      ['x * * * *', 'UTC', /^schedule: minute "x"/],
      ['* * *', 'UTC', /^schedule: must have 5 fields/],
      ['0 0 30 2 *', 'UTC', /^schedule: no date matches/],
      ['0 0 * * *', 'Mars/Olympus', /^timezone: "Mars\/Olympus" is not a time zone/],
    ];
    for (const [schedule, timezone, message] of cases) {
      await expect(core.api.jobs.preview({ schedule, timezone })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message) });
    }
    const workspaceId = (await core.api.workspaces.current())!.id;
    await expect(
      core.api.jobs.create({ workspaceId, name: 'x', type: 'test.ok', schedule: '61 * * * *', timezone: 'UTC', params: { key: 'k' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: 'schedule: minute 61 is out of range (0–59)' });
    await expect(
      core.api.jobs.create({ workspaceId, name: 'x', type: 'nope', schedule: '0 * * * *', timezone: 'UTC', params: {} }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^type: there is no job type "nope"/) });
    await expect(
      core.api.jobs.create({ workspaceId, name: 'x', type: 'test.ok', schedule: '0 * * * *', timezone: 'UTC', params: { key: 3 } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^params\.key: /) });
    expect(await core.api.jobs.list({ workspaceId })).toEqual([]);
  });

  it('previews the next 5 runs in the zone', async () => {
    const { core } = await start('2026-03-27T12:00:00Z');
    const { nextRuns } = await core.api.jobs.preview({ schedule: '30 2 * * *', timezone: 'Europe/Berlin' });
    expect(nextRuns).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z', // 02:30 does not exist that day: 03:30 CEST
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
    expect(await core.api.jobs.previewParams({ type: 'test.ok', params: { key: 'p' } })).toEqual({ wouldRun: 'p' });
    // The built-in types and the ones the test registered.
    expect((await core.api.jobs.types()).map((t) => t.type).sort()).toEqual(['backup', 'data.generate', 'github.sync', 'http.check', 'release.monitor', 'report.export', 'site.audit', 'test.flaky', 'test.ok', 'test.previous', 'test.wait']);
  });
});

describe('running', () => {
  it('fires on schedule, records result, log and summary', async () => {
    const { core, workspace, time, settle } = await start('2026-05-01T09:59:00Z');
    const k = key();
    const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Hourly', type: 'test.ok', schedule: '0 * * * *', timezone: 'UTC', params: { key: k } });
    expect(job).toMatchObject({ runsHere: true, nextRunAt: '2026-05-01T10:00:00.000Z', enabled: true });
    await time.advanceTo('2026-05-01T12:30:00Z', settle);
    expect(runsByKey.get(k)).toBe(3);
    const [latest] = await core.api.jobs.executions({ jobId: job.id });
    expect(latest).toMatchObject({ status: 'succeeded', trigger: 'schedule', attempt: 1, result: { run: 3 }, startedAt: '2026-05-01T12:00:00.000Z' });
    expect(await core.api.jobs.execution({ id: latest!.id })).toEqual(latest);
    expect((await core.api.jobs.log({ executionId: latest!.id })).map((l) => l.message)).toEqual([`run 3 of ${k}`]);
    expect(await core.api.jobs.get({ id: job.id })).toMatchObject({
      lastStatus: 'succeeded',
      lastRunAt: '2026-05-01T12:00:00.000Z',
      nextRunAt: '2026-05-01T13:00:00.000Z',
      consecutiveFailures: 0,
    });
  });

  it('records a trigger while a run is going as skipped (also concurrently), and cancels', async () => {
    const { core, workspace, settle } = await start('2026-05-01T10:00:00Z');
    const k = key();
    const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Long', type: 'test.wait', schedule: '0 0 * * *', timezone: 'UTC', params: { key: k } });
    const runs = await Promise.all([runHere(core.api, job.id), runHere(core.api, job.id), runHere(core.api, job.id)]);
    expect(runs.map((r) => r.status).sort()).toEqual(['queued', 'skipped', 'skipped']);
    await settle();
    const running = runs.find((r) => r.status === 'queued')!;
    expect((await core.api.jobs.execution({ id: running.id })).status).toBe('running');
    expect(runsByKey.get(k)).toBe(1);
    const cancelled = await core.api.jobs.cancel({ executionId: running.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'Cancelled' });
    await expect(core.api.jobs.cancel({ executionId: running.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await settle();
    expect((await core.api.jobs.get({ id: job.id })).lastStatus).toBe('cancelled');
  });

  it('a run asked for the moment the last one is seen ending is not skipped: the slot frees with the final row', async () => {
    const { core, workspace, settle } = await start('2026-05-01T10:00:00Z');
    const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Quick', type: 'test.ok', schedule: '0 0 * * *', timezone: 'UTC', params: { key: key() } });
    // Asked inside the event that says the first run succeeded (before its summary is written).
    const next = new Promise<JobExecution>((resolve, reject) => {
      const off = core.events.on('jobs', (e) => {
        if (e.jobId !== job.id || e.execution.status !== 'succeeded') return;
        off();
        runHere(core.api, job.id).then(resolve, reject);
      });
    });
    await runHere(core.api, job.id);
    expect((await next).status).toBe('queued');
    await settle();
    expect((await core.api.jobs.executions({ jobId: job.id })).map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
  });

  for (const [size, pad] of [
    ['a small result (remembered)', 0],
    ['a big result (read back)', 40_000],
  ] as const) {
    it(`gives each run the job's last succeeded result: ${size}`, async () => {
      const { core, workspace, time, settle } = await start('2026-05-01T09:59:30Z');
      const k = key();
      const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Echo', type: 'test.previous', schedule: '* * * * *', timezone: 'UTC', params: { key: k, pad } });
      const other = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Other', type: 'test.previous', schedule: '* * * * *', timezone: 'UTC', params: { key: key() } });
      await time.advanceTo('2026-05-01T10:00:00Z', settle);
      await runHere(core.api, job.id);
      await settle();
      await time.advanceTo('2026-05-01T10:01:00Z', settle);
      const results = (await core.api.jobs.executions({ jobId: job.id })).reverse().map((e) => e.result as { run: number; previous: unknown });
      expect(results.map((r) => r.run)).toEqual([1, 2, 3]);
      expect(results[0]!.previous).toBeNull();
      expect(results[1]!.previous).toEqual(results[0]);
      expect(results[2]!.previous).toEqual(results[1]);
      // Each job its own: the other job's runs saw only its own results.
      const others = (await core.api.jobs.executions({ jobId: other.id })).reverse().map((e) => e.result as { run: number; previous: { run: number } | null });
      expect(others.map((r) => r.previous?.run ?? null)).toEqual([null, 1]);
    });
  }

  it('times out a run (the type sees the abort) as failed', async () => {
    const { core, workspace, time, settle } = await start('2026-05-01T10:00:00Z');
    const k = key();
    const job = await core.api.jobs.create({
      workspaceId: workspace.id,
      name: 'Slow',
      type: 'test.wait',
      schedule: '0 0 * * *',
      timezone: 'UTC',
      params: { key: k },
      timeoutSeconds: 120,
    });
    const queued = await runHere(core.api, job.id);
    await settle();
    await time.advanceBy(119_000, settle);
    expect((await core.api.jobs.execution({ id: queued.id })).status).toBe('running');
    await time.advanceBy(1_000, settle);
    expect(await core.api.jobs.execution({ id: queued.id })).toMatchObject({ status: 'failed', error: 'Timed out after 2 min (the job\'s timeout)', durationMs: 120_000 });
  });

  it('retries with doubling back-off and jitter, alerts once per failure streak and once on recovery', async () => {
    const { core, workspace, time, settle, notes, events } = await start('2026-05-01T10:00:00Z');
    const k = key();
    const job = await core.api.jobs.create({
      workspaceId: workspace.id,
      name: 'Flaky',
      type: 'test.flaky',
      schedule: '0 0 * * *',
      timezone: 'UTC',
      params: { key: k, failures: 4 },
      retry: { maxAttempts: 3, backoffSeconds: 60 },
    });
    await runHere(core.api, job.id);
    await settle();
    // Retry 1 comes 30–60 s after attempt 1 (60 s with equal jitter), retry 2 60–120 s after attempt 2.
    const [firstRetryAt] = time.armed().filter((d) => d.getTime() < Date.parse('2026-05-02T00:00:00Z'));
    expect(firstRetryAt!.getTime() - Date.parse('2026-05-01T10:00:00Z')).toBeGreaterThanOrEqual(30_000);
    expect(firstRetryAt!.getTime() - Date.parse('2026-05-01T10:00:00Z')).toBeLessThanOrEqual(60_000);
    await time.advanceTo(firstRetryAt!, settle);
    const [secondRetryAt] = time.armed().filter((d) => d.getTime() < Date.parse('2026-05-02T00:00:00Z'));
    expect(secondRetryAt!.getTime() - firstRetryAt!.getTime()).toBeGreaterThanOrEqual(60_000);
    expect(secondRetryAt!.getTime() - firstRetryAt!.getTime()).toBeLessThanOrEqual(120_000);
    await time.advanceTo('2026-05-01T10:10:00Z', settle);
    expect(await statuses(core, job.id)).toEqual(['manual:failed', 'retry:failed', 'retry:failed']);
    expect((await core.api.jobs.executions({ jobId: job.id })).map((e) => e.attempt)).toEqual([3, 2, 1]);
    expect(await core.api.jobs.get({ id: job.id })).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 1 });
    expect(notes).toEqual([{ title: 'Job failed: Flaky', body: `failure 3 of ${k}` }]);
    // Another failed run: the streak goes on, no second alert.
    await runHere(core.api, job.id);
    await settle();
    await time.advanceTo('2026-05-01T10:20:00Z', settle);
    expect(await core.api.jobs.get({ id: job.id })).toMatchObject({ lastStatus: 'succeeded', consecutiveFailures: 0 });
    expect(notes.map((n) => n.title)).toEqual(['Job failed: Flaky', 'Job recovered: Flaky']);
    expect(events.filter((e) => e.alert).map((e) => e.alert)).toEqual(['failed', 'recovered']);
  });
});

describe('many jobs due at one minute', () => {
  it('share one timer, all start (each exactly once, a running one skipped), and their summaries go in a few doc writes', async () => {
    const { core, workspace, time, settle } = await start('2026-05-01T09:59:30Z');
    const zones = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/New_York'];
    const keys = Array.from({ length: 40 }, key);
    // Created concurrently, as a burst of edits would be.
    const jobs = await Promise.all(
      keys.map((k, i) =>
        core.api.jobs.create({ workspaceId: workspace.id, name: `Job ${i}`, type: 'test.ok', schedule: '* * * * *', timezone: zones[i % zones.length]!, params: { key: k } }),
      ),
    );
    const waitKey = key();
    const busy = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Busy', type: 'test.wait', schedule: '* * * * *', timezone: 'UTC', params: { key: waitKey } });
    await runHere(core.api, busy.id);
    await settle();
    const soon = () => time.armed().filter((d) => d.getTime() < Date.parse('2026-05-01T10:30:00Z')); // not the busy run's 1 h timeout
    expect(soon()).toEqual([new Date('2026-05-01T10:00:00Z')]); // 41 jobs, one timer

    const summaryWrites: string[][] = [];
    core.events.on('changed', (e) => {
      if (e.entity === 'job') summaryWrites.push(e.ids);
    });
    await time.advanceTo('2026-05-01T10:00:00Z', settle);
    expect(keys.map((k) => runsByKey.get(k))).toEqual(keys.map(() => 1));
    const ran = await Promise.all(jobs.map((j) => core.api.jobs.executions({ jobId: j.id })));
    expect(ran.map((list) => list.map((e) => `${e.trigger}:${e.status}:${e.startedAt}`))).toEqual(jobs.map(() => ['schedule:succeeded:2026-05-01T10:00:00.000Z']));
    // Inserted together: one queued time for all.
    expect(new Set(ran.map((list) => list[0]!.queuedAt))).toEqual(new Set(['2026-05-01T10:00:00.000Z']));
    // The job whose Run now is still going: its scheduled run is recorded skipped, it does not run twice.
    expect(await statuses(core, busy.id)).toEqual(['manual:running', 'schedule:skipped']);
    expect(runsByKey.get(waitKey)).toBe(1);
    // 41 next run times and 40 ends: a handful of doc transactions, not one per job and per end.
    expect(summaryWrites.length).toBeGreaterThan(0);
    expect(summaryWrites.length).toBeLessThanOrEqual(6);
    expect(new Set(summaryWrites.flat())).toEqual(new Set([...jobs, busy].map((j) => j.id)));
    for (const job of await core.api.jobs.list({ workspaceId: workspace.id })) {
      expect(job).toMatchObject({ nextRunAt: '2026-05-01T10:01:00.000Z' });
      if (job.id !== busy.id) expect(job).toMatchObject({ lastRunAt: '2026-05-01T10:00:00.000Z', lastStatus: 'succeeded' });
    }
    expect(soon()).toEqual([new Date('2026-05-01T10:01:00Z')]);

    // The next minute: once more each, the busy job released meanwhile runs again.
    release(waitKey);
    await settle();
    await time.advanceTo('2026-05-01T10:01:00Z', settle);
    expect(keys.map((k) => runsByKey.get(k))).toEqual(keys.map(() => 2));
    expect(runsByKey.get(waitKey)).toBe(2);
    expect((await core.api.jobs.executions({ jobId: jobs[7]!.id })).map((e) => e.startedAt)).toEqual(['2026-05-01T10:01:00.000Z', '2026-05-01T10:00:00.000Z']);
  });
});

describe('retention', () => {
  it('keeps the newest executions per job (setting) and drops older ones with their logs', async () => {
    const { core, workspace, time, settle } = await start('2026-05-01T10:00:00Z');
    await core.internals.settings.set('jobs-retention', { executionsPerJob: 3 });
    const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Often', type: 'test.ok', schedule: '* * * * *', timezone: 'UTC', params: { key: key() } });
    await time.advanceTo('2026-05-01T10:05:00Z', settle);
    const kept = await core.api.jobs.executions({ jobId: job.id });
    expect(kept.map((e) => e.startedAt)).toEqual(['2026-05-01T10:05:00.000Z', '2026-05-01T10:04:00.000Z', '2026-05-01T10:03:00.000Z']);
    const { rows } = await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_log');
    expect(rows[0]!.n).toBe(3);
  });
});

describe('missed runs and DST', () => {
  for (const catchUp of ['skip', 'run-once'] as const) {
    it(`after sleeping through many run times: ${catchUp === 'skip' ? 'no run' : 'exactly one catch-up run'}, never a burst`, async () => {
      const { core, workspace, time, settle, main } = await start('2026-05-01T10:00:00Z');
      const k = key();
      const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Every 5', type: 'test.ok', schedule: '*/5 * * * *', timezone: 'UTC', params: { key: k }, catchUp });
      time.sleepUntil('2026-05-01T14:02:00Z'); // 48 run times slept through
      main.emit('power.resumed', { at: time.now().toISOString() });
      await settle();
      await time.advanceTo('2026-05-01T14:03:00Z', settle); // the late timer, if any, changes nothing
      expect(await statuses(core, job.id)).toEqual(catchUp === 'skip' ? [] : ['catch-up:succeeded']);
      expect((await core.api.jobs.get({ id: job.id })).nextRunAt).toBe('2026-05-01T14:05:00.000Z');
      await time.advanceTo('2026-05-01T14:05:00Z', settle);
      expect(await statuses(core, job.id)).toEqual(catchUp === 'skip' ? ['schedule:succeeded'] : ['catch-up:succeeded', 'schedule:succeeded']);
    });
  }

  for (const [day, from, to] of [
    ['spring forward', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z'],
    ['fall back', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z'],
  ] as const) {
    it(`a daily 02:30 Europe/Berlin job runs exactly once on the ${day} day`, async () => {
      const { core, workspace, time, settle } = await start(from);
      const k = key();
      const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Nightly', type: 'test.ok', schedule: '30 2 * * *', timezone: 'Europe/Berlin', params: { key: k } });
      // In small steps, as a running machine would live through the night.
      for (let t = Date.parse(from); t <= Date.parse(to); t += 15 * 60_000) await time.advanceTo(new Date(t), settle);
      const started = (await core.api.jobs.executions({ jobId: job.id })).map((e) => e.startedAt).reverse();
      const local = started.map((s) => new Date(s!).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }));
      expect(local).toEqual(
        day === 'spring forward'
          ? ['2026-03-29 03:30:00', '2026-03-30 02:30:00'] // 02:30 does not exist on the 29th
          : ['2026-10-25 02:30:00', '2026-10-26 02:30:00'], // 02:30 happens twice on the 25th: once
      );
    });
  }

  it('a fixed-time job re-planned inside the repeated hour (paused and resumed) does not run again', async () => {
    const { core, workspace, time, settle } = await start('2026-10-25T00:00:00Z');
    const k = key();
    const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Nightly', type: 'test.ok', schedule: '30 2 * * *', timezone: 'Europe/Berlin', params: { key: k } });
    await time.advanceTo('2026-10-25T00:31:00Z', settle); // 02:31 CEST: ran
    // Simulate the timer being re-planned from inside the repeated hour (02:10 CET).
    time.sleepUntil('2026-10-25T01:10:00Z');
    await core.api.jobs.pause({ id: job.id });
    await core.api.jobs.resume({ id: job.id });
    await settle();
    await time.advanceTo('2026-10-25T02:00:00Z', settle);
    expect(runsByKey.get(k)).toBe(1);
  });
});
