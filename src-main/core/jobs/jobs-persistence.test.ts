import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../core';
import { tempDir } from '../testing/temp-core';
import { FakeTime } from './testing/fake-time';
import { runsByKey, testJobTypes } from './testing/test-job-types';
import { runHere } from './testing/run-here';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a run the process did not finish', () => {
  it('is marked interrupted at the next start and retried when attempts remain', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const time = new FakeTime('2026-05-01T10:00:00Z');
    const open = () => createCore({ dataDir: dir.path, clock: time.clock, timers: time.timers, jobTypes: testJobTypes });
    const first = await open();
    const workspace = await first.api.workspaces.create({ name: 'Acme' });
    const key = `interrupted-${Date.now()}`;
    const job = await first.api.jobs.create({
      workspaceId: workspace.id,
      name: 'Long',
      type: 'test.wait',
      schedule: '0 0 * * *',
      timezone: 'UTC',
      params: { key },
      retry: { maxAttempts: 2, backoffSeconds: 10 },
    });
    const queued = await runHere(first.api, job.id);
    await first.internals.scheduler.settled();
    expect((await first.api.jobs.execution({ id: queued.id })).status).toBe('running');
    // Closed mid-run: nothing records the run's end (as when the process is killed).
    await first.close();

    time.sleepUntil('2026-05-01T10:05:00Z');
    const second = await open();
    cleanups.push(() => second.close());
    await second.internals.scheduler.settled();
    expect(await second.api.jobs.execution({ id: queued.id })).toMatchObject({
      status: 'interrupted',
      finishedAt: '2026-05-01T10:05:00.000Z',
      error: expect.stringMatching(/stopped while this ran/),
    });
    // The retry comes after the back-off (5–10 s) as attempt 2.
    await time.advanceTo('2026-05-01T10:05:11Z', () => second.internals.scheduler.settled());
    const [retry] = await second.api.jobs.executions({ jobId: job.id });
    expect(retry).toMatchObject({ trigger: 'retry', attempt: 2, status: 'running' });
    expect(runsByKey.get(key)).toBe(2);
    await second.api.jobs.cancel({ executionId: retry!.id });
  });
});
