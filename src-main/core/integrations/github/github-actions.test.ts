/**
 * GitHub actions and their offline queue through a real core (PGlite, the real octokit client)
 * against recorded GitHub answers on a loopback server (testing/actions-scenarios.ts). Time is a
 * hand-moved fake (the core's clock and Timers ports), so retries are driven without waiting.
 * "Network down" sends the core's requests to a loopback port with nothing listening.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GithubAction, GithubEvent, Project, Task, Workspace } from '../../../contract';
import { syncJobId } from './sync-job';
import { createCore, type Core } from '../../core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { firstRetryMs } from './action-queue';
import {
  branchExchanges,
  branchRepo,
  connect,
  defaultBranchRepo,
  deploymentCreate,
  deploymentRepo,
  dispatch204,
  dispatch422NoTrigger,
  dispatchedInputs,
  getRepository,
  issueCreate,
  issueRepo,
  workflowRepo,
  workflowsList,
} from './testing/actions-scenarios';
import { startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

const token = 'ghu_acceptedToken000';
const branchName = 'enricomi/web-1-fix-the-login';

/** Every request the core sent (method, URL, body) and whether it reached the replay server. */
interface Sent {
  method: string;
  url: string;
  body: unknown;
}

let replay: ReplayServer;
let deadPort: number;
let networkDown = false;
const sent: Sent[] = [];
const time = new FakeTime('2026-03-02T09:00:00.000Z');
const events: GithubEvent[] = [];
let core: Core;
let workspace: Workspace;
let project: Project;
let task: Task;

/** The core's fetch: recorded, and sent to a dead port while the network is "down". */
const watchedFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  if (networkDown) return fetch(url.replace(/^http:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${deadPort}`), init);
  sent.push({ method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : null });
  return fetch(input, init);
};

/** A port nothing listens on: opened, noted and closed again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/** Waits (bounded) until the action is as asked. */
async function waitFor(id: string, ok: (action: GithubAction) => boolean): Promise<GithubAction> {
  let found: GithubAction | undefined;
  for (let i = 0; i < 200; i++) {
    found = (await core.api.github.queue({ workspaceId: workspace.id })).find((a) => a.id === id);
    if (found && ok(found)) return found;
    await settle();
  }
  throw new Error(`action ${id} is not as expected: ${JSON.stringify(found)}`);
}

/** Loads a scenario (its first exchange: the recorded GET /user) and connects to it. */
async function useScenario(name: string): Promise<string> {
  const baseUrl = await replay.load(name);
  await core.api.github.connectToken({ token, baseUrl });
  return baseUrl;
}

const posts = (path: string) => sent.filter((s) => s.method === 'POST' && s.url.endsWith(path));

beforeAll(async () => {
  const branch = branchExchanges(branchName);
  replay = await startReplayServer({
    'each-once': [...connect(), branch.getBase, branch.create, issueCreate(), dispatch204(), deploymentCreate()],
    'default-branch': (() => {
      const fromMaster = branchExchanges(branchName, { repo: defaultBranchRepo, base: 'master' });
      return [...connect(), getRepository(), fromMaster.getBase, fromMaster.create];
    })(),
    refused: [...connect(), dispatch422NoTrigger()],
    'offline-then-back': [...connect(), dispatch204()],
    'retry-twice-at-once': [...connect(), dispatch204()],
    workflows: [...connect(), ...workflowsList()],
  });
  deadPort = await freePort();
  core = await createCore({ dataDir: null, github: { retries: false }, fetch: watchedFetch, clock: time.clock, timers: time.timers });
  core.events.on('github', (event) => void events.push(event));
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
  task = await core.api.tasks.create({ projectId: project.id, title: 'Fix the login', description: 'It fails on Safari.' });
  for (const repo of [workflowRepo, deploymentRepo.toUpperCase()]) {
    await core.api.github.linkRepo({ projectId: project.id, repo });
    // Each linked repo gets its sync job; paused, so moving the clock sends only the actions' requests.
    await core.api.jobs.pause({ id: syncJobId(workspace.id, repo) });
  }
}, 60_000);

afterAll(async () => {
  await core?.close();
  await replay?.close();
});

describe('github actions', () => {
  it('each kind is sent once and done, with what GitHub made; the issue is linked to its task; no token is stored', async () => {
    const baseUrl = await useScenario('each-once');

    const branch = await core.api.github.createBranch({ taskId: task.id, repo: branchRepo, from: 'main' });
    expect(branch).toMatchObject({ kind: 'branch', state: 'done', attempts: 1, error: null, input: { branch: branchName, from: 'main' } });
    expect(branch.result).toEqual({ url: `${baseUrl}/${branchRepo}/tree/${branchName}`, ref: branchName });

    const issue = await core.api.github.createIssue({ taskId: task.id, repo: issueRepo });
    expect(issue).toMatchObject({ kind: 'issue', state: 'done', attempts: 1, result: { number: 1 } });
    expect(issue.result?.url).toMatch(/\/octokit-fixture-org\/add-labels-to-issue\/issues\/1$/);
    const issueSent = posts('/issues')[0]!.body as { title: string; body: string };
    expect(issueSent.title).toBe('WEB-1 Fix the login');
    expect(issueSent.body).toBe(`It fails on Safari.\n\nCreated from Groundwork task WEB-1.\n\n<!-- groundwork-action: ${issue.id} -->`);
    // Linked both ways: the task's link is in the project's doc (projected), written before `done`.
    const { rows: links } = await core.internals.db.query('SELECT task_id, repo, kind, ref, state, url FROM github_task_links WHERE task_id = $1', [task.id]);
    expect(links).toEqual([{ task_id: task.id, repo: issueRepo, kind: 'issue', ref: '1', state: 'open', url: issue.result!.url }]);

    const workflow = await core.api.github.dispatchWorkflow({ repo: workflowRepo, workflow: 'manual_dispatch.yml', ...dispatchedInputs });
    expect(workflow).toMatchObject({ kind: 'workflow', state: 'done', taskId: null, workspaceId: workspace.id });
    expect(workflow.result).toEqual({ url: `${baseUrl}/${workflowRepo}/actions/workflows/manual_dispatch.yml`, ref: 'workflow_dispatch_branch' });

    const deployment = await core.api.github.createDeployment({ repo: deploymentRepo, ref: 'testing/deployment' });
    expect(deployment).toMatchObject({ kind: 'deployment', state: 'done', result: { id: 78406011, ref: 'testing/deployment', url: `${baseUrl}/${deploymentRepo}/deployments/production` } });
    expect(posts('/deployments')[0]!.body).toEqual({ ref: 'testing/deployment', environment: 'production', auto_merge: false, payload: { groundworkActionId: deployment.id } });

    // One create request each; newest first; every state change was an event.
    expect(['/git/refs', '/issues', '/dispatches', '/deployments'].map((p) => posts(p).length)).toEqual([1, 1, 1, 1]);
    expect((await core.api.github.queue({ workspaceId: workspace.id })).map((a) => a.kind)).toEqual(['deployment', 'workflow', 'issue', 'branch']);
    expect(events.filter((e) => e.kind === 'action' && e.action.id === issue.id).map((e) => (e.kind === 'action' ? e.action.state : null))).toEqual(['queued', 'sending', 'done']);
    const { rows } = await core.internals.db.query('SELECT * FROM github_actions');
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('without `from`, the branch starts at the repo default branch (asked of GitHub when it is sent)', async () => {
    await useScenario('default-branch');
    const branch = await core.api.github.createBranch({ taskId: task.id, repo: defaultBranchRepo });
    expect(branch).toMatchObject({ state: 'done', input: { branch: branchName, from: null }, result: { ref: branchName } });
    expect(posts(`/${defaultBranchRepo}/git/refs`)[0]!.body).toEqual({ ref: `refs/heads/${branchName}`, sha: '0000000000000000000000000000000000000001' });
  });

  it('a 422 from GitHub fails with its message and is not retried by the timer; failed can be cancelled, cancelled not retried', async () => {
    await useScenario('refused');
    const failed = await core.api.github.dispatchWorkflow({ repo: workflowRepo, workflow: 'check.yml', ref: 'main', inputs: {} });
    expect(failed).toMatchObject({ state: 'failed', nextAttemptAt: null, attempts: 1 });
    expect(failed.error).toBe("GitHub refused running the workflow check.yml on main in wrecker/PyGithub: Workflow does not have 'workflow_dispatch' trigger");
    const before = sent.length;
    await time.advanceBy(60 * 60_000, settle);
    expect(sent.length).toBe(before);
    expect(await core.api.github.cancelQueued({ id: failed.id })).toMatchObject({ state: 'cancelled' });
    await expect(core.api.github.retryQueued({ id: failed.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('cancelled') });
    await expect(core.api.github.cancelQueued({ id: failed.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('network down: queued with the error and its next attempt; the timer sends it once the network is back', async () => {
    await useScenario('offline-then-back');
    networkDown = true;
    const queued = await core.api.github.dispatchWorkflow({ repo: workflowRepo, workflow: 'manual_dispatch.yml', ...dispatchedInputs });
    expect(queued).toMatchObject({ state: 'queued', attempts: 1, result: null, nextAttemptAt: new Date(time.now().getTime() + firstRetryMs).toISOString() });
    expect(queued.error).toMatch(/^GitHub could not be reached at http:\/\/127\.0\.0\.1:\d+\/.* while running the workflow manual_dispatch\.yml/);
    // Still down when it falls due: queued again, twice as late.
    await time.advanceTo(queued.nextAttemptAt!, settle);
    const again = await waitFor(queued.id, (a) => a.state === 'queued' && a.attempts === 2);
    expect(again).toMatchObject({ attempts: 2, nextAttemptAt: new Date(time.now().getTime() + 2 * firstRetryMs).toISOString() });

    networkDown = false;
    const dispatchesBefore = posts('/dispatches').length;
    await time.advanceTo(again.nextAttemptAt!, settle);
    const done = await waitFor(queued.id, (a) => a.state === 'done');
    expect(done).toMatchObject({ attempts: 3, error: null, nextAttemptAt: null, result: { ref: 'workflow_dispatch_branch' } });
    expect(posts('/dispatches').length - dispatchesBefore).toBe(1);
    await expect(core.api.github.retryQueued({ id: done.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already has it') });
    await expect(core.api.github.cancelQueued({ id: done.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('undo it on GitHub') });
  });

  it('a queued action can be cancelled, and then is never sent', async () => {
    networkDown = true;
    const queued = await core.api.github.createDeployment({ repo: deploymentRepo, ref: 'main', environment: 'staging' });
    networkDown = false;
    expect(queued.state).toBe('queued');
    expect(await core.api.github.cancelQueued({ id: queued.id })).toMatchObject({ state: 'cancelled', nextAttemptAt: null });
    const before = sent.length;
    await time.advanceBy(60 * 60_000, settle);
    expect(sent.length).toBe(before);
  });

  it('two retries of one action at once send it once', async () => {
    await useScenario('retry-twice-at-once');
    networkDown = true;
    const queued = await core.api.github.dispatchWorkflow({ repo: workflowRepo, workflow: 'manual_dispatch.yml', ...dispatchedInputs });
    networkDown = false;
    const dispatchesBefore = posts('/dispatches').length;
    const [a, b] = await Promise.all([core.api.github.retryQueued({ id: queued.id }), core.api.github.retryQueued({ id: queued.id })]);
    expect(a).toMatchObject({ state: 'done', attempts: 2 });
    expect(b).toEqual(a);
    expect(posts('/dispatches').length - dispatchesBefore).toBe(1);
  });

  it('lists the repo workflows that can be run (active), across GitHub pages', async () => {
    await useScenario('workflows');
    const workflows = await core.api.github.workflows({ repo: deploymentRepo });
    expect(workflows.map((w) => ({ id: w.id, file: w.file, state: w.state }))).toEqual([
      { id: 36269301, file: 'main.yml', state: 'active' },
      { id: 36283620, file: 'workflow.yml', state: 'active' },
    ]);
  });

  it('bad input is VALIDATION naming the field, and nothing is stored', async () => {
    const { rows: before } = await core.internals.db.query('SELECT id FROM github_actions');
    await expect(core.api.github.createBranch({ taskId: 'WEB-1', repo: branchRepo })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('taskId') });
    await expect(core.api.github.createBranch({ taskId: task.id, repo: 'not a repo' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('repo') });
    await expect(core.api.github.createBranch({ taskId: task.id, repo: branchRepo, from: 'a..b' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('from') });
    await expect(core.api.github.dispatchWorkflow({ repo: workflowRepo, workflow: 'deploy', ref: 'main' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('workflow') });
    await expect(core.api.github.dispatchWorkflow({ repo: 'someone/unlinked', workflow: 'deploy.yml', ref: 'main' })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^repo: someone\/unlinked is not linked to any project/),
      details: { field: 'repo' },
    });
    await expect(core.api.github.retryQueued({ id: '01890000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { rows: after } = await core.internals.db.query('SELECT id FROM github_actions');
    expect(after).toEqual(before);
  });
});
