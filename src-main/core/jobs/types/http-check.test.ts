import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../core';
import { coreWithProject } from '../../testing/temp-core';
import { parseInput } from '../../validate';
import { unreachableUrl } from '../site-audit/testing/test-site';
import { runHere } from '../testing/run-here';
import { testRunContext } from '../testing/run-context';
import { httpCheckType, type HttpCheckResult } from './http-check';

type Mode = 'up' | 'wrong-status' | 'wrong-text' | 'drop' | 'hang';

/** A site whose state a test switches: each path is a site of its own (`/<name>`), up by default. */
let server: Server;
let origin = '';
const modes = new Map<string, Mode>();
const methods: string[] = [];
const hanging = new Set<ServerResponse>();

function answer(req: IncomingMessage, res: ServerResponse) {
  methods.push(req.method ?? '');
  const mode = modes.get(req.url ?? '') ?? 'up';
  if (mode === 'drop') return void req.socket.destroy(); // connection cut without an answer
  if (mode === 'hang') return void hanging.add(res);
  res.writeHead(mode === 'wrong-status' ? 503 : 200, { 'content-type': 'text/html' });
  // A long body whose expected text comes in two pieces a moment apart (two chunks to the reader).
  res.write(`<html><body>${'x'.repeat(100_000)}${mode === 'wrong-text' ? 'Down for' : 'Welcome to'}`);
  setTimeout(() => res.end(mode === 'wrong-text' ? ' maintenance</body></html>' : ' Acme</body></html>'), 20);
}

let core: Core;
let workspaceId: string;

beforeAll(async () => {
  const made = await coreWithProject();
  core = made.core;
  workspaceId = made.workspace.id;
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await core?.close();
});

/** One execution as the scheduler runs it: `previousResult` is the last succeeded result. */
async function check(params: Record<string, unknown>, previousResult: unknown = null, signal?: AbortSignal) {
  const run = testRunContext(core, { workspaceId, previousResult });
  try {
    return (await run.run(httpCheckType, params, signal)) as HttpCheckResult;
  } finally {
    run.close();
  }
}

describe('http.check', () => {
  it('is up with the expected status and text, and says why it is not otherwise', async () => {
    const url = `${origin}/states`;
    const params = { url, expectText: 'Welcome to Acme', alertAfter: 5 };
    const up = await check(params);
    expect(up).toMatchObject({ url, up: true, status: 200, consecutiveMisses: 0 });
    expect(up.error).toBeUndefined();
    expect(up.latencyMs).toBeGreaterThanOrEqual(0);

    modes.set('/states', 'wrong-status');
    expect(await check(params)).toMatchObject({ up: false, status: 503, consecutiveMisses: 1, error: '503' });
    modes.set('/states', 'wrong-text');
    expect(await check(params)).toMatchObject({ up: false, status: 200, consecutiveMisses: 1, error: '200 without “Welcome to Acme”' });
    modes.set('/states', 'drop');
    const dropped = await check(params);
    expect(dropped).toMatchObject({ up: false, status: null, latencyMs: null, consecutiveMisses: 1 });
    expect(dropped.error).toMatch(/socket|closed|ECONNRESET/i);
    const nowhere = await unreachableUrl();
    expect(await check({ url: nowhere, alertAfter: 2 })).toMatchObject({ up: false, status: null, error: 'ECONNREFUSED' });

    // An exact expected status: 200 is a miss when 204 is expected; HEAD sends a HEAD.
    modes.set('/states', 'up');
    expect(await check({ url, expectStatus: 204, alertAfter: 2 })).toMatchObject({ up: false, status: 200, error: '200, expected 204' });
    methods.length = 0;
    expect(await check({ url, method: 'HEAD' })).toMatchObject({ up: true, status: 200 });
    expect(methods).toEqual(['HEAD']);
  });

  it('counts misses across runs, fails once at alertAfter, and recovers', async () => {
    const url = `${origin}/flaky`;
    const params = { url, expectText: 'Welcome', alertAfter: 3 };
    // The scheduler's view: it alerts when an execution fails after a success, and reports a
    // recovery when one succeeds after failures; previousResult is the last succeeded result.
    const script: Mode[] = ['up', 'wrong-status', 'wrong-text', 'drop', 'wrong-status', 'up', 'wrong-status', 'up'];
    let previous: unknown = null;
    let lastSucceeded: boolean | null = null;
    const alerts: string[] = [];
    let recoveries = 0;
    const seen: (number | string)[] = [];
    for (const mode of script) {
      modes.set('/flaky', mode);
      let succeeded: boolean;
      try {
        const result = await check(params, previous);
        previous = result;
        seen.push(result.consecutiveMisses);
        succeeded = true;
      } catch (error) {
        seen.push('failed');
        succeeded = false;
        if (lastSucceeded !== false) alerts.push((error as Error).message);
      }
      if (succeeded && lastSucceeded === false) recoveries++;
      lastSucceeded = succeeded;
    }
    expect(seen).toEqual([0, 1, 2, 'failed', 'failed', 0, 1, 0]);
    expect(alerts).toEqual([expect.stringMatching(new RegExp(`^${url} is down: .+ \\(3 checks in a row\\)$`))]);
    expect(recoveries).toBe(1);

    // The default alertAfter is 1: the first miss fails, naming the status.
    modes.set('/flaky', 'wrong-status');
    await expect(check({ url })).rejects.toThrow(`${url} is down: 503`);
    // A previous result for another URL (the job was edited) does not count.
    await expect(check({ url, alertAfter: 2 }, { url: `${origin}/other`, up: false, status: 503, latencyMs: 1, consecutiveMisses: 1 })).resolves.toMatchObject({
      consecutiveMisses: 1,
    });
  });

  it('through the scheduler: a long outage counts up in every failure, alerts once, and recovers once', async () => {
    const url = `${origin}/outage`;
    const job = await core.api.jobs.create({ workspaceId, name: 'Outage', type: 'http.check', schedule: '0 3 1 1 *', timezone: 'UTC', params: { url } });
    const alerts: string[] = [];
    const off = core.events.on('jobs', (event) => {
      if (event.jobId === job.id && event.alert) alerts.push(event.alert);
    });
    const runToEnd = async () => {
      const queued = await runHere(core.api, job.id);
      let execution = queued;
      for (let i = 0; i < 400 && !execution.finishedAt; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        execution = await core.api.jobs.execution({ id: queued.id });
      }
      await core.internals.scheduler.settled();
      return execution;
    };
    try {
      modes.set('/outage', 'up');
      expect(await runToEnd()).toMatchObject({ status: 'succeeded' });
      modes.set('/outage', 'wrong-status');
      const errors: string[] = [];
      for (let i = 0; i < 5; i++) {
        const ended = await runToEnd();
        expect(ended.status).toBe('failed');
        errors.push(ended.error ?? '');
      }
      expect(errors.map((e) => /\((\d+) checks? in a row\)$/.exec(e)?.[1])).toEqual(['1', '2', '3', '4', '5']);
      expect(errors[4]).toBe(`${url} is down: 503 (5 checks in a row)`);
      expect(await core.api.jobs.get({ id: job.id })).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 5 });
      expect(alerts).toEqual(['failed']);

      modes.set('/outage', 'up');
      expect(await runToEnd()).toMatchObject({ status: 'succeeded', result: { up: true, consecutiveMisses: 0 } });
      expect(alerts).toEqual(['failed', 'recovered']);
      // A new outage starts counting at 1 again.
      modes.set('/outage', 'wrong-status');
      expect((await runToEnd()).error).toBe(`${url} is down: 503 (1 check in a row)`);
      expect(alerts).toEqual(['failed', 'recovered', 'failed']);
    } finally {
      off();
    }
  });

  it('gives each of several checks at once its own answer', async () => {
    const states: Mode[] = ['up', 'wrong-status', 'wrong-text', 'drop', 'up', 'wrong-status'];
    states.forEach((mode, i) => modes.set(`/many-${i}`, mode));
    const results = await Promise.all(states.map((_, i) => check({ url: `${origin}/many-${i}`, expectText: 'Welcome', alertAfter: 2 })));
    expect(results.map((r) => [r.url, r.up, r.status])).toEqual(
      states.map((mode, i) => [`${origin}/many-${i}`, mode === 'up', mode === 'drop' ? null : mode === 'wrong-status' ? 503 : 200]),
    );
  });

  it('counts no answer in time as a miss, and stops when its signal aborts', async () => {
    modes.set('/slow', 'hang');
    const url = `${origin}/slow`;
    expect(await check({ url, timeoutMs: 300, alertAfter: 2 })).toMatchObject({ up: false, status: null, error: 'no answer within 0.3 s' });

    const controller = new AbortController();
    const running = check({ url, alertAfter: 2 }, null, controller.signal);
    setTimeout(() => controller.abort(new Error('Cancelled by a test')), 100);
    await expect(running).rejects.toThrow('Cancelled by a test');
  });

  it('refuses bad params with the field named', () => {
    const bad = (params: unknown) => () => parseInput('http.check', httpCheckType.params, params);
    expect(bad({ url: 'ftp://example.com/' })).toThrow('url: must be an http:// or https:// URL');
    expect(bad({ url: 'https://example.com/', method: 'POST' })).toThrow('method: must be GET or HEAD');
    expect(bad({ url: 'https://example.com/', method: 'HEAD', expectText: 'Hi' })).toThrow('expectText: needs method GET');
    expect(bad({ url: 'https://example.com/', alertAfter: 0 })).toThrow('alertAfter: must be at least 1');
    expect(bad({ url: 'https://example.com/', expectStatus: 700 })).toThrow('expectStatus: must be at most 599');
    expect(bad({ url: 'https://example.com/', every: 5 })).toThrow('unknown field every');
  });
});
