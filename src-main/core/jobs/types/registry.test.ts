/**
 * The built-in types as the app has them: registered in a plain core (no test types), created
 * through the jobs API with their params checked by the type's schema, and run for real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { runHere } from '../testing/run-here';

let core: Core | null = null;
let server: Server | null = null;
afterEach(async () => {
  await core?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  core = server = null;
});

describe('built-in job types', () => {
  it('are listed, refuse bad params by field, and run: an uptime check of a local server', async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('all good'));
    await new Promise<void>((listening) => server!.listen(0, '127.0.0.1', listening));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    core = await createCore({ dataDir: null });
    const { api } = core;
    expect((await api.jobs.types()).map((t) => t.type)).toEqual(expect.arrayContaining(['site.audit', 'http.check', 'report.export', 'backup', 'data.generate']));

    const workspace = await api.workspaces.create({ name: 'Acme' });
    const base = { workspaceId: workspace.id, schedule: '*/5 * * * *', timezone: 'Europe/Berlin' };
    await expect(api.jobs.create({ ...base, name: 'Audit', type: 'site.audit', params: { urls: ['ftp://example.test'] } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('urls.0'),
    });
    const job = await api.jobs.create({ ...base, name: 'Site up', type: 'http.check', params: { url, expectText: 'good' } });
    expect(job).toMatchObject({ type: 'http.check', runsHere: true, enabled: true });

    const ended = new Promise<string>((resolve) =>
      core!.events.on('jobs', ({ execution }) => {
        if (execution.finishedAt) resolve(execution.id);
      }),
    );
    const queued = await runHere(api, job.id);
    expect(await ended).toBe(queued.id);
    await core.internals.scheduler.settled();
    const done = await api.jobs.execution({ id: queued.id });
    expect(done).toMatchObject({ status: 'succeeded', trigger: 'manual', result: { url, up: true, status: 200, consecutiveMisses: 0 } });
    expect(await api.jobs.get({ id: job.id })).toMatchObject({ lastStatus: 'succeeded', consecutiveFailures: 0 });
  });
});
