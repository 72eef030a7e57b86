/**
 * Webhooks in a shared workspace (a real relay, two replicas): endpoints are shared state managed
 * by owners and admins (a member gets FORBIDDEN); the secret stays on the owner's device, so a
 * member's replica, which sees the endpoint, writes no outbox rows; the owner's replica delivers
 * the member's changes as they arrive through the relay, and its own, each once (its own change
 * echoed back by the relay is no second event).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, WebhookEndpointWithSecret } from '../../contract';
import { eventually, startTeam, type Team } from '../testing/team';
import { startReceiver, type LoopbackReceiver } from './testing/loopback-receiver';

let team: Team;
let receiver: LoopbackReceiver;
let project: Project;
let endpoint: WebhookEndpointWithSecret;

beforeAll(async () => {
  team = await startTeam(2);
  receiver = await startReceiver();
  const [owner] = team.cores;
  project = await owner!.api.projects.create({ workspaceId: team.workspace.id, name: 'Website', key: 'WEB' });
  endpoint = await owner!.api.webhooks.create({ workspaceId: team.workspace.id, url: receiver.url, events: ['task.created'] });
}, 90_000);

afterAll(async () => {
  await team?.close();
  await receiver?.close();
});

describe('webhooks in a team', () => {
  it('a member may not manage endpoints (FORBIDDEN), and nothing is written', async () => {
    const member = team.cores[1]!;
    const forbidden = { code: 'FORBIDDEN', message: expect.stringContaining('you are a member') };
    await expect(member.api.webhooks.create({ workspaceId: team.workspace.id, url: receiver.url, events: ['task.created'] })).rejects.toMatchObject(forbidden);
    await expect(member.api.webhooks.list({ workspaceId: team.workspace.id })).rejects.toMatchObject(forbidden);
    // The owner's endpoint reaches the member's replica (shared state)…
    await eventually(
      async () => (await member.internals.db.query('SELECT id FROM webhook_endpoints WHERE id = $1', [endpoint.id])).rows,
      (rows) => rows.length === 1,
    );
    await expect(member.api.webhooks.update({ id: endpoint.id, enabled: false })).rejects.toMatchObject(forbidden);
    await expect(member.api.webhooks.rotateSecret({ id: endpoint.id })).rejects.toMatchObject(forbidden);
    // …but not its secret.
    expect((await member.internals.db.query('SELECT * FROM webhook_secrets')).rows).toEqual([]);
  }, 60_000);

  it("the owner's replica delivers the member's changes and its own, each once; the member's replica sends nothing", async () => {
    const [owner, member] = team.cores;
    await eventually(() => member!.api.projects.list({ workspaceId: team.workspace.id }), (list) => list.length === 1);
    // The project's own doc (its stages) syncs after the workspace's: a task needs a stage to go in.
    await eventually(() => member!.api.stages.list({ projectId: project.id }), (stages) => stages.length > 0);
    // Both at once, as a team works: a change on each replica while the other's is in flight.
    const [fromMember] = await Promise.all([
      member!.api.tasks.create({ projectId: project.id, title: 'From the member' }),
      owner!.api.tasks.create({ projectId: project.id, title: 'From the owner' }),
    ]);
    await eventually(() => owner!.api.tasks.list({ projectId: project.id }), (tasks) => tasks.some((t) => t.id === fromMember.id));
    // And both replicas see both tasks: every update has gone both ways through the relay.
    await eventually(() => member!.api.tasks.list({ projectId: project.id }), (tasks) => tasks.length === 2);
    await receiver.waitFor(2);
    await owner!.internals.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const titles = receiver.received.map((r) => JSON.parse(r.body).data.task.title as string);
    expect(titles.sort()).toEqual(['From the member', 'From the owner']);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(2);
    expect((await member!.internals.db.query('SELECT * FROM webhook_events')).rows).toEqual([]);
  }, 60_000);
});
