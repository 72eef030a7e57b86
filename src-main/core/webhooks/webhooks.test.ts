/**
 * Outgoing webhooks through a real core (PGlite, the real save path) against a loopback receiver
 * on 127.0.0.1 that verifies every signature with the independent `standardwebhooks` package.
 * Time is a hand-moved fake (the core's clock and Timers ports) starting at the real now, so the
 * library's 5-minute timestamp check holds for first attempts and retries are driven without waiting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Project, WebhookDelivery, WebhookEndpointWithSecret, Workspace } from '../../contract';
import { createCore, type Core } from '../core';
import { FakeTime } from '../jobs/testing/fake-time';
import { nodeMain } from '../main/main-client';
import { startReceiver, type LoopbackReceiver, type Received } from './testing/loopback-receiver';
import { verifySigned } from './testing/verify-signed';
import { inFlightPerEndpoint } from './webhook-lane';
import { firstRetryMs } from './webhook-sender';
import { flakyType } from '../jobs/testing/test-job-types';
import { runHere } from '../jobs/testing/run-here';

const time = new FakeTime(new Date());
const notifications: { title: string; body: string }[] = [];
const main = nodeMain({ notify: (n) => void notifications.push(n) });
let core: Core;
let workspace: Workspace;
let project: Project;
let receiver: LoopbackReceiver;

/** Lets the core finish what a fired timer started: the sender's drain (its requests, then its next timer). */
const settle = async () => {
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  await core.internals.webhooks.idle();
};

/** Waits (bounded) until `read` gives what `ok` wants. */
async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string): Promise<T> {
  let value: T | undefined;
  for (let i = 0; i < 300; i++) {
    value = await read();
    if (ok(value)) return value;
    await settle();
  }
  throw new Error(`${what}: still ${JSON.stringify(value)}`);
}

const deliveries = (endpointId: string) => core.api.webhooks.deliveries({ endpointId, limit: 500 });
/** The body's type of each received request. */
const types = (received: Received[]) => received.map((r) => (JSON.parse(r.body) as { type: string }).type);
/** Every received request verifies with `secret` by the library's own `verify`, at the fake clock's now. */
function verifyAll(received: Received[], secret: string) {
  expect(verifySigned(received, secret, () => time.now().getTime())).toEqual(received.map((r) => JSON.parse(r.body)));
}

async function newEndpoint(events: string[] = ['task.created', 'task.updated', 'task.moved', 'task.deleted']): Promise<WebhookEndpointWithSecret> {
  return core.api.webhooks.create({ workspaceId: workspace.id, url: receiver.url, events: events as never, description: 'test receiver' });
}

beforeAll(async () => {
  core = await createCore({ dataDir: null, main: main.client, clock: time.clock, timers: time.timers, jobTypes: [flakyType] });
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
}, 60_000);

beforeEach(async () => {
  await receiver?.close();
  receiver = await startReceiver();
  // Endpoints of earlier tests are removed: each test counts its own deliveries.
  for (const endpoint of await core.api.webhooks.list({ workspaceId: workspace.id })) await core.api.webhooks.delete({ id: endpoint.id });
  notifications.length = 0;
});

afterAll(async () => {
  await core?.close();
  await receiver?.close();
  main.close();
});

describe('webhook endpoints', () => {
  it('create returns a whsec_ secret once; list shows the endpoint without it', async () => {
    const endpoint = await newEndpoint(['task.created']);
    expect(endpoint).toMatchObject({ url: receiver.url, events: ['task.created'], enabled: true, deliversHere: true, description: 'test receiver', disabledReason: null });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await core.api.webhooks.list({ workspaceId: workspace.id });
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret.slice(6));
  });

  it('refuses unsafe targets with VALIDATION naming url; a private range passes with the preference', async () => {
    const refused = (url: string, message: RegExp) =>
      expect(core.api.webhooks.create({ workspaceId: workspace.id, url, events: ['task.created'] })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message), details: { field: 'url' } });
    await refused('http://example.com/hooks', /^url: must use https/);
    await refused('ftp://example.com/hooks', /url: must be an http\(s\) URL/);
    await refused('https://10.1.2.3/hooks', /^url: 10\.1\.2\.3 is a private network address/);
    await refused('https://[fd00::1]/hooks', /private network address/);
    await refused('https://169.254.169.254/latest', /private network address/);
    await core.api.preferences.set({ key: 'webhooks-allow-private', value: true });
    try {
      const allowed = await core.api.webhooks.create({ workspaceId: workspace.id, url: 'https://10.1.2.3/hooks', events: ['task.created'] });
      expect(allowed.url).toBe('https://10.1.2.3/hooks');
    } finally {
      await core.api.preferences.set({ key: 'webhooks-allow-private', value: false });
    }
    await expect(core.api.webhooks.create({ workspaceId: workspace.id, url: receiver.url, events: [] })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('events') });
  });
  it('the endpoints projection rebuilt from the docs equals the one kept incrementally', async () => {
    const endpoint = await newEndpoint(['task.created']);
    await core.api.webhooks.update({ id: endpoint.id, description: 'renamed', events: ['task.created', 'project.deleted'], enabled: false });
    const gone = await newEndpoint(['task.moved']);
    await core.api.webhooks.delete({ id: gone.id });
    const rows = () => core.internals.db.query('SELECT * FROM webhook_endpoints ORDER BY id').then((r) => r.rows);
    const kept = await rows();
    await core.internals.docs.rebuildProjection();
    expect(await rows()).toEqual(kept);
    expect(kept.find((r) => (r as { id: string }).id === endpoint.id)).toMatchObject({ description: 'renamed', events: ['task.created', 'project.deleted'], enabled: false });
  });
});

describe('webhook delivery', () => {
  it('task changes are delivered once each, signed (standardwebhooks verifies), with the documented payload', async () => {
    const endpoint = await newEndpoint();
    const [todo, doing] = await core.api.stages.list({ projectId: project.id });
    const task = await core.api.tasks.create({ projectId: project.id, title: 'Fix the login' });
    await core.api.tasks.update({ id: task.id, title: 'Fix the login on Safari' });
    await core.api.tasks.move({ id: task.id, stageId: doing!.id });
    await core.api.tasks.delete({ id: task.id });
    const received = await receiver.waitFor(4);
    // Several requests may be in flight at once: arrival order is nearly, not strictly, the changes' order.
    expect(types(received).sort()).toEqual(['task.created', 'task.deleted', 'task.moved', 'task.updated']);
    verifyAll(received, endpoint.secret);
    const body = (type: string) => JSON.parse(received.find((r) => JSON.parse(r.body).type === type)!.body);
    expect(body('task.created')).toMatchObject({ type: 'task.created', workspaceId: workspace.id, timestamp: expect.any(String), data: { task: { id: task.id, projectId: project.id, title: 'Fix the login', stageId: todo!.id } } });
    expect(body('task.updated').data.changes).toEqual({ title: { from: 'Fix the login', to: 'Fix the login on Safari' } });
    expect(body('task.moved').data).toMatchObject({ fromStageId: todo!.id, toStageId: doing!.id });
    expect(new Set(received.map((r) => r.id)).size).toBe(4);
    expect(received.every((r) => /^msg_[0-9a-f]{32}$/.test(r.id))).toBe(true);
    const log = await until(() => deliveries(endpoint.id), (list) => list.every((d) => d.status === 'delivered'), 'the delivery log');
    expect(log).toHaveLength(4);
    expect(log[0]).toMatchObject({ status: 'delivered', attempt: 1, responseStatus: 204, eventType: 'task.deleted', durationMs: expect.any(Number), request: { url: receiver.url } });
    expect(log.map((d) => d.webhookId).sort()).toEqual(received.map((r) => r.id).sort());
  });

  it('a backlog goes out a few requests at a time per endpoint, oldest first, each once', async () => {
    const endpoint = await newEndpoint(['task.created']);
    receiver.hold = true;
    // Ten changes at once (as an import, a job and people would make them): one outbox, ten events.
    const tasks = await Promise.all(Array.from({ length: 10 }, (_, i) => core.api.tasks.create({ projectId: project.id, title: `Backlog ${i}` })));
    await receiver.waitFor(inFlightPerEndpoint);
    // Held answers: no more than `inFlightPerEndpoint` requests are out at once.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(inFlightPerEndpoint);
    // Unanswered, they are still queued in the outbox (a crash now would send them again).
    const log = await deliveries(endpoint.id);
    expect(log).toHaveLength(10);
    expect(log.map((d) => [d.status, d.attempt])).toEqual(log.map(() => ['queued', 0]));
    // The first out are the oldest queued ones.
    const createdFirst = [...log].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.webhookId.localeCompare(b.webhookId)).slice(0, inFlightPerEndpoint);
    expect(receiver.received.map((r) => r.id).sort()).toEqual(createdFirst.map((d) => d.webhookId).sort());
    receiver.hold = false;
    receiver.release();
    const received = await receiver.waitFor(10);
    verifyAll(received, endpoint.secret);
    expect(new Set(received.map((r) => r.id)).size).toBe(10);
    expect(received.map((r) => JSON.parse(r.body).data.task.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    await until(() => deliveries(endpoint.id), (list) => list.length === 10 && list.every((d) => d.status === 'delivered' && d.attempt === 1), 'the delivery log');
    await settle();
    expect(receiver.received).toHaveLength(10);
  });

  it('an endpoint turned off gets no request beyond those already out (their answers recorded); what waited ends failed, saying why', async () => {
    const endpoint = await newEndpoint(['task.created']);
    // Twelve fail once, so that their retries fall due together: one batch of twelve, eight out.
    receiver.answer = () => 500;
    await Promise.all(Array.from({ length: 12 }, (_, i) => core.api.tasks.create({ projectId: project.id, title: `Off ${i}` })));
    await until(() => deliveries(endpoint.id), (list) => list.length === 12 && list.every((d) => d.status === 'queued' && d.attempt === 1), 'twelve first attempts');
    await settle();
    receiver.received.length = 0;
    receiver.answer = () => 204;
    receiver.hold = true;
    // All twelve due (jittered around 5 s) before the retry's timer fires: one claim takes them.
    time.sleepUntil(new Date(time.now().getTime() + firstRetryMs * 1.3));
    await time.advanceBy(0, () => new Promise<void>((resolve) => setTimeout(resolve, 20)));
    await receiver.waitFor(inFlightPerEndpoint);
    // The lane holds the rest of its batch, unsent: turning the endpoint off takes it back.
    await core.api.webhooks.update({ id: endpoint.id, enabled: false });
    receiver.hold = false;
    receiver.release();
    await settle();
    expect(receiver.received).toHaveLength(inFlightPerEndpoint);
    const sent = new Set(receiver.received.map((r) => r.id));
    const log = await deliveries(endpoint.id);
    const unsent = log.filter((d) => !sent.has(d.webhookId));
    expect(unsent.map((d) => [d.status, d.attempt, d.error])).toEqual(Array.from({ length: 12 - inFlightPerEndpoint }, () => ['failed', 1, 'The endpoint was turned off.']));
    // Those the receiver took after the turn-off say so (a "redeliver all failed" leaves them be).
    const taken = log.filter((d) => sent.has(d.webhookId));
    expect(taken.map((d) => [d.status, d.attempt, d.responseStatus, d.error])).toEqual(Array.from({ length: inFlightPerEndpoint }, () => ['delivered', 2, 204, null]));
  });

  it("an endpoint's retry goes out on time while another endpoint's requests are still out", async () => {
    const failing = await newEndpoint(['task.created']);
    const slow = await startReceiver();
    try {
      await core.api.webhooks.create({ workspaceId: workspace.id, url: slow.url, events: ['task.created'] });
      slow.hold = true;
      let answers = 0;
      receiver.answer = () => (answers++ === 0 ? 500 : 204);
      await core.api.tasks.create({ projectId: project.id, title: 'Retried while the other waits' });
      await receiver.waitFor(1);
      await slow.waitFor(1);
      const [recorded] = await until(() => deliveries(failing.id), ([d]) => d?.status === 'queued' && d.attempt === 1, 'the first attempt recorded');
      // The slow receiver still holds its request (its lane is busy); the retry's timer is armed
      // anyway, once the failing endpoint's lane has gone idle (just after its answer is recorded).
      await until(() => time.armed().map((at) => at.toISOString()), (armed) => armed.includes(recorded!.nextAttemptAt!), 'the retry armed');
      const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 20));
      await time.advanceBy(firstRetryMs * 1.3, pause);
      const [first, again] = await receiver.waitFor(2);
      expect(again!.id).toBe(first!.id);
      expect(slow.received).toHaveLength(1);
    } finally {
      slow.hold = false;
      await slow.close();
    }
    await settle();
    expect((await deliveries(failing.id))[0]).toMatchObject({ status: 'delivered', attempt: 2 });
  });

  it('only subscribed event types go out; project events too', async () => {
    await newEndpoint(['project.created', 'project.updated']);
    const other = await core.api.projects.create({ workspaceId: workspace.id, name: 'Shop', key: 'SHOP' });
    await core.api.tasks.create({ projectId: other.id, title: 'Not sent' });
    await core.api.projects.update({ id: other.id, name: 'Shop 2' });
    const received = await receiver.waitFor(2);
    await settle();
    expect(types(receiver.received)).toEqual(['project.created', 'project.updated']);
    expect(JSON.parse(received[1]!.body).data).toMatchObject({ project: { id: other.id, name: 'Shop 2' }, changes: { name: { from: 'Shop', to: 'Shop 2' } } });
  });

  it('two changes at once are both delivered, once each', async () => {
    await newEndpoint(['task.created']);
    await Promise.all([core.api.tasks.create({ projectId: project.id, title: 'One' }), core.api.tasks.create({ projectId: project.id, title: 'Two' })]);
    await receiver.waitFor(2);
    await settle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => JSON.parse(r.body).data.task.title).sort()).toEqual(['One', 'Two']);
  });

  it('retries after 500s with growing delays (jittered), then delivers; the same webhook-id every time', async () => {
    const endpoint = await newEndpoint(['task.created']);
    receiver.answer = () => (receiver.received.length <= 3 ? 500 : 200);
    await core.api.tasks.create({ projectId: project.id, title: 'Flaky receiver' });
    await receiver.waitFor(1);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const failed = await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'queued' && d.attempt === attempt && d.nextAttemptAt !== null, `attempt ${attempt}`);
      expect(failed[0]).toMatchObject({ responseStatus: 500, responseExcerpt: 'no thanks (500)', error: 'The receiver answered 500.' });
      const wait = Date.parse(failed[0]!.nextAttemptAt!) - time.now().getTime();
      waits.push(wait);
      // Nothing is sent before the delay is up.
      await time.advanceBy(wait - 1, settle);
      expect(receiver.received).toHaveLength(attempt);
      await time.advanceBy(1, settle);
      await receiver.waitFor(attempt + 1);
    }
    expect(waits[0]).toBeGreaterThanOrEqual(firstRetryMs * 0.8);
    expect(waits[0]).toBeLessThanOrEqual(firstRetryMs * 1.2);
    expect(waits[1]!).toBeGreaterThan(waits[0]! * 2);
    expect(waits[2]!).toBeGreaterThan(waits[1]! * 2);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
    const [done] = await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'delivered', 'delivered');
    expect(done).toMatchObject({ attempt: 4, responseStatus: 200 });
  });

  it('410 Gone turns the endpoint off with its reason and an alert; nothing more is sent to it', async () => {
    const endpoint = await newEndpoint(['task.created']);
    receiver.answer = () => 410;
    await core.api.tasks.create({ projectId: project.id, title: 'Gone' });
    const [off] = await until(() => core.api.webhooks.list({ workspaceId: workspace.id }), ([e]) => e?.enabled === false, 'the endpoint turned off');
    expect(off!.disabledReason).toContain('410');
    expect(notifications).toEqual([{ title: 'Webhook endpoint turned off', body: expect.stringContaining('410') }]);
    const [failed] = await deliveries(endpoint.id);
    expect(failed).toMatchObject({ status: 'failed', responseStatus: 410, attempt: 1 });
    await core.api.tasks.create({ projectId: project.id, title: 'Not sent' });
    await time.advanceBy(60 * 60_000, settle);
    expect(receiver.received).toHaveLength(1);
    // Turned on again by a person: the reason goes.
    expect(await core.api.webhooks.update({ id: endpoint.id, enabled: true })).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('failing for 3 days gives up, turns the endpoint off and alerts once', async () => {
    const endpoint = await newEndpoint(['task.created']);
    receiver.answer = () => 503;
    await core.api.tasks.create({ projectId: project.id, title: 'Down for days' });
    await receiver.waitFor(1);
    // The first answer recorded (a delivery is `queued` before it too) and its retry armed.
    const [failed] = await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'queued' && d.attempt === 1, 'first failure');
    await until(() => time.armed().map((at) => at.toISOString()), (armed) => armed.includes(failed!.nextAttemptAt!), 'the retry armed');
    await time.advanceBy(3 * 24 * 60 * 60_000 + 60_000, settle);
    const [given] = await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'failed', 'given up');
    expect(given!.attempt).toBeGreaterThan(8);
    expect(given!.attempt).toBeLessThan(20);
    expect(receiver.received).toHaveLength(given!.attempt);
    const [off] = await core.api.webhooks.list({ workspaceId: workspace.id });
    expect(off).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('failed for 3 days') });
    expect(notifications).toHaveLength(1);
  });

  it('redeliver sends a delivery again with the same webhook-id; two redelivers at once make one send; all failed at once', async () => {
    const endpoint = await newEndpoint(['task.created']);
    await core.api.tasks.create({ projectId: project.id, title: 'Sent twice' });
    const [first] = await receiver.waitFor(1);
    const [delivered] = await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'delivered', 'delivered');
    const [a, b] = await Promise.all([core.api.webhooks.redeliver({ deliveryId: delivered!.id }), core.api.webhooks.redeliver({ deliveryId: delivered!.id })]);
    expect(a![0]!.id).toBe(delivered!.id);
    expect(b![0]!.id).toBe(delivered!.id);
    await receiver.waitFor(2);
    await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'delivered' && d.attempt === 2, 'redelivered');
    await settle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.id).toBe(first!.id);
    verifyAll(receiver.received, endpoint.secret);

    // Every failed delivery of the endpoint at once.
    receiver.answer = () => 500;
    await core.api.tasks.create({ projectId: project.id, title: 'F1' });
    await core.api.tasks.create({ projectId: project.id, title: 'F2' });
    await until(() => deliveries(endpoint.id), (list) => list.filter((d) => d.status === 'queued' && d.attempt === 1).length === 2, 'both failed once');
    await core.api.webhooks.update({ id: endpoint.id, enabled: false });
    await core.api.webhooks.update({ id: endpoint.id, enabled: true });
    const failed = (await deliveries(endpoint.id)).filter((d) => d.status === 'failed');
    expect(failed).toHaveLength(2);
    receiver.answer = () => 200;
    const requeued = await core.api.webhooks.redeliver({ endpointId: endpoint.id });
    expect(requeued.map((d) => d.id).sort()).toEqual(failed.map((d) => d.id).sort());
    await receiver.waitFor(6);
    await until(() => deliveries(endpoint.id), (list) => list.every((d) => d.status === 'delivered'), 'all delivered');
    await expect(core.api.webhooks.redeliver({})).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('deliveryId') });
  });

  it('sendTest sends a webhook.test event to that endpoint, signed', async () => {
    const endpoint = await newEndpoint(['job.failed']);
    const queued = await core.api.webhooks.sendTest({ id: endpoint.id });
    expect(queued).toMatchObject({ eventType: 'webhook.test', endpointId: endpoint.id });
    const [got] = await receiver.waitFor(1);
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'webhook.test', workspaceId: workspace.id, data: { endpointId: endpoint.id } });
    verifyAll(receiver.received, endpoint.secret);
    await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'delivered', 'test delivered');
  });

  it('rotateSecret: both signatures are sent during the overlap (each verifies), then only the new one', async () => {
    const endpoint = await newEndpoint(['task.created']);
    const rotated = await core.api.webhooks.rotateSecret({ id: endpoint.id });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    await core.api.webhooks.sendTest({ id: endpoint.id });
    const [during] = await receiver.waitFor(1);
    expect(during!.signature.split(' ')).toHaveLength(2);
    verifyAll([during!], endpoint.secret);
    verifyAll([during!], rotated.secret);
    // After the overlap (24 h) only the new secret signs. The timestamp is then a day ahead of the
    // real clock, so the check is the library's own signature of the same message, not verify().
    await time.advanceBy(24 * 60 * 60_000 + 1000, settle);
    await core.api.webhooks.sendTest({ id: endpoint.id });
    const [, after] = await receiver.waitFor(2);
    expect(after!.signature).toBe(new Webhook(rotated.secret).sign(after!.id, new Date(Number(after!.timestamp) * 1000), after!.body));
  });

  it('a redirect is not followed: it fails and is retried', async () => {
    const endpoint = await newEndpoint(['task.created']);
    receiver.answer = () => 302;
    await core.api.tasks.create({ projectId: project.id, title: 'Redirected' });
    const [d] = await until(() => deliveries(endpoint.id), ([x]) => x?.status === 'queued' && x.attempt === 1, 'redirect failed');
    expect(d!.error).toContain('redirects are not followed');
    expect(receiver.received).toHaveLength(1);
  });

  it('a job that fails after its retries sends job.failed, and job.recovered when it succeeds again', async () => {
    const endpoint = await newEndpoint(['job.failed', 'job.recovered']);
    const job = await core.api.jobs.create({
      workspaceId: workspace.id,
      name: 'Nightly export',
      type: 'test.flaky',
      schedule: '0 3 * * *',
      timezone: 'UTC',
      params: { key: `webhooks-${Date.now()}`, failures: 1 },
    });
    await runHere(core.api, job.id);
    const [failed] = await receiver.waitFor(1);
    expect(JSON.parse(failed!.body)).toMatchObject({ type: 'job.failed', data: { job: { id: job.id, name: 'Nightly export', type: 'test.flaky' }, execution: { status: 'failed', error: expect.stringContaining('failure 1') } } });
    await runHere(core.api, job.id);
    const [, recovered] = await receiver.waitFor(2);
    expect(JSON.parse(recovered!.body)).toMatchObject({ type: 'job.recovered', data: { job: { id: job.id }, execution: { status: 'succeeded' } } });
    verifyAll(receiver.received, endpoint.secret);
  });

  it('keeps at most 1 KB of an answer', async () => {
    const endpoint = await newEndpoint(['task.created']);
    receiver.answer = () => 200;
    receiver.answerBody = () => 'x'.repeat(64 * 1024);
    await core.api.tasks.create({ projectId: project.id, title: 'Chatty receiver' });
    const [d] = await until(() => deliveries(endpoint.id), ([x]) => x?.status === 'delivered', 'delivered');
    expect(d!.responseExcerpt).toBe('x'.repeat(1024));
  });

  it('a change and its events are saved together: when the outbox cannot be written, the change is not saved either', async () => {
    await newEndpoint(['task.created']);
    const before = await core.api.tasks.list({ projectId: project.id });
    await core.internals.db.exec('ALTER TABLE webhook_events RENAME TO webhook_events_away');
    try {
      await expect(core.api.tasks.create({ projectId: project.id, title: 'Not without its event' })).rejects.toMatchObject({ code: 'INTERNAL' });
    } finally {
      await core.internals.db.exec('ALTER TABLE webhook_events_away RENAME TO webhook_events');
    }
    expect(await core.api.tasks.list({ projectId: project.id })).toHaveLength(before.length);
    // With the outbox back, the next change and its event are saved and sent.
    await core.api.tasks.create({ projectId: project.id, title: 'With its event' });
    const [got] = await receiver.waitFor(1);
    expect(JSON.parse(got!.body).data.task.title).toBe('With its event');
  });

  it('the delivery log keeps ended deliveries 30 days', async () => {
    const endpoint = await newEndpoint(['task.created']);
    await core.api.tasks.create({ projectId: project.id, title: 'Old news' });
    await until(() => deliveries(endpoint.id), ([d]) => d?.status === 'delivered', 'delivered');
    time.sleepUntil(new Date(time.now().getTime() + 31 * 24 * 60 * 60_000));
    await core.api.webhooks.sendTest({ id: endpoint.id });
    const log = await until(() => deliveries(endpoint.id), (list) => list.length === 1 && list[0]!.status === 'delivered', 'pruned');
    expect(log[0]!.eventType).toBe('webhook.test');
  });

  it('a deleted endpoint gets nothing more', async () => {
    const endpoint = await newEndpoint(['task.created']);
    await core.api.webhooks.delete({ id: endpoint.id });
    await core.api.tasks.create({ projectId: project.id, title: 'After delete' });
    await settle();
    expect(receiver.received).toEqual([]);
    await expect(deliveries(endpoint.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

// Referenced so the type import is used in a test that reads deliveries' shape.
export type { WebhookDelivery };
