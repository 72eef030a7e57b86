import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCore, type Core } from '../core';
import { tempDir } from '../testing/temp-core';
import type { JobType } from './job-type';
import { runHere } from './testing/run-here';

/** A 1×1 transparent PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Keeps a screenshot and a text file in its execution's folder, as a site audit does. */
const screenshotType: JobType<z.ZodObject, z.ZodObject> = {
  type: 'test.screenshot',
  title: 'Test: keeps a screenshot',
  params: z.strictObject({}),
  result: z.strictObject({ screenshot: z.string() }),
  async run(ctx) {
    const dir = await ctx.filesDir();
    if (!dir) return { screenshot: '' }; // a memory-only core keeps no files
    await writeFile(join(dir, 'page.png'), png);
    await writeFile(join(dir, 'notes.txt'), 'not an image');
    await mkdir(join(dir, 'shots'));
    return { screenshot: join(dir, 'page.png') };
  },
};

let core: Core;
let dir: { path: string; remove(): void };
let first: string;
let second: string;
let dataDir: string;

/** Runs the job now and waits (bounded: 10 s) for the execution's end, pushed by the `jobs` event. */
async function runOnce(target: Core, jobId: string): Promise<string> {
  const ended = new Set<string>();
  const off = target.events.on('jobs', ({ execution }) => {
    if (execution.finishedAt) ended.add(execution.id);
  });
  const queued = await runHere(target.api, jobId);
  for (let i = 0; i < 200 && !ended.has(queued.id); i++) await new Promise((r) => setTimeout(r, 50));
  off();
  const done = await target.api.jobs.execution({ id: queued.id });
  expect(done.status).toBe('succeeded');
  return done.id;
}

beforeAll(async () => {
  dir = tempDir();
  dataDir = join(dir.path, 'data');
  core = await createCore({ dataDir, jobTypes: [screenshotType] });
  const workspace = await core.api.workspaces.create({ name: 'Acme' });
  const job = await core.api.jobs.create({ workspaceId: workspace.id, name: 'Shots', type: 'test.screenshot', schedule: '0 2 * * *', timezone: 'UTC', params: {}, enabled: false });
  first = await runOnce(core, job.id);
  second = await runOnce(core, job.id);
  // A file of the data dir beside the executions' folders, and a symlink out of the folder to it.
  await writeFile(join(dataDir, 'secret.png'), png);
  await symlink(join(dataDir, 'secret.png'), join(dataDir, 'jobs', first, 'link.png'));
}, 60_000);

afterAll(async () => {
  await core?.close();
  dir?.remove();
});

describe('jobs.file', () => {
  it("reads an image of the execution's own folder, by the path in its result or relative to the folder", async () => {
    const { result } = await core.api.jobs.execution({ id: first });
    const expected = `data:image/png;base64,${png.toString('base64')}`;
    const [byResult, relative, again] = await Promise.all([
      core.api.jobs.file({ executionId: first, path: (result as { screenshot: string }).screenshot }),
      core.api.jobs.file({ executionId: first, path: 'page.png' }),
      core.api.jobs.file({ executionId: second, path: './page.png' }),
    ]);
    expect(byResult).toEqual({ dataUrl: expected });
    expect(relative).toEqual({ dataUrl: expected });
    expect(again).toEqual({ dataUrl: expected });
  });

  it('refuses anything outside that folder, concurrently and each with its reason', async () => {
    const attempts = await Promise.allSettled([
      core.api.jobs.file({ executionId: first, path: `../${second}/page.png` }), // another execution's file
      core.api.jobs.file({ executionId: first, path: join(dataDir, 'jobs', second, 'page.png') }),
      core.api.jobs.file({ executionId: first, path: '../../secret.png' }),
      core.api.jobs.file({ executionId: first, path: join(dataDir, 'secret.png') }),
      core.api.jobs.file({ executionId: first, path: 'link.png' }), // a symlink leading out
      core.api.jobs.file({ executionId: first, path: '.' }),
    ]);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN', message: "path: only files inside the execution's own files folder can be read" } });
    }
  });

  it('refuses what is not an image, a folder, a missing file and an unknown execution', async () => {
    await expect(core.api.jobs.file({ executionId: first, path: 'notes.txt' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^path: only images can be read/) });
    await expect(core.api.jobs.file({ executionId: first, path: 'missing.png' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^path: this execution has no such file/) });
    await expect(core.api.jobs.file({ executionId: first, path: '' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/path: must not be empty/) });
    await expect(core.api.jobs.file({ executionId: '0190f0f0-0000-7000-8000-000000000000', path: 'page.png' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('jobs.file in a memory-only core', () => {
  it('says there are no files', async () => {
    const memory = await createCore({ dataDir: null, jobTypes: [screenshotType] });
    try {
      const workspace = await memory.api.workspaces.create({ name: 'Acme' });
      const job = await memory.api.jobs.create({ workspaceId: workspace.id, name: 'Shots', type: 'test.screenshot', schedule: '0 2 * * *', timezone: 'UTC', params: {}, enabled: false });
      const executionId = await runOnce(memory, job.id);
      await expect(memory.api.jobs.file({ executionId, path: 'page.png' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/in memory only/) });
    } finally {
      await memory.close();
    }
  });
});
