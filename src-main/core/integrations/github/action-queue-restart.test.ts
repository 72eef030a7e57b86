/**
 * Exactly once across a restart: a core on a real data dir creates a branch; GitHub (the replay
 * server) makes it, but the answer never reaches the core, which is closed with the action still
 * `sending`. A new core on the same data dir finds the action, asks GitHub whether the branch is
 * there at the sha it was about to use, and marks it done WITHOUT sending the create again.
 * And the other way: an issue whose request never reached GitHub is looked for, not found, and
 * then sent, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GithubAction, GithubEvent } from '../../../contract';
import { createCore, type Core } from '../../core';
import { nodeMain, type NodeMain } from '../../main/main-client';
import { tempDir } from '../../testing/temp-core';
import { FakeTime } from '../../jobs/testing/fake-time';
import { branchExchanges, branchRepo, connect, issueCreate, issueRepo, issuesWithoutOurs, recordedLogin } from './testing/actions-scenarios';
import { startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

const branchName = 'enricomi/web-1-fix-the-login';
const dir = tempDir('groundwork-actions-restart-');
const issueDir = tempDir('groundwork-actions-restart-issue-');
// The issue check lists issues since the first send: a fixed clock makes that request's URL known.
const time = new FakeTime('2026-03-02T09:00:00.000Z');
const requests: { method: string; url: string }[] = [];
let replay: ReplayServer;
// One main for both cores (as one installation keeps one keychain): the second opens the token the first sealed.
let main: NodeMain;
let first: Core | undefined;
let second: Core | undefined;

/** The core's fetch, noting every request that reached the replay server. */
const noting: typeof fetch = async (input, init) => {
  requests.push({ method: init?.method ?? 'GET', url: String(input) });
  return fetch(input, init);
};

let createAnswered!: () => void;
const answeredByGithub = new Promise<void>((resolve) => (createAnswered = resolve));
/** Like `noting`, but the create's answer never reaches the core (until the core aborts it on close). */
const answerLost: typeof fetch = async (input, init) => {
  const response = await noting(input, init);
  if (init?.method !== 'POST' || !String(input).endsWith('/git/refs')) return response;
  createAnswered();
  return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
};

beforeAll(async () => {
  const branch = branchExchanges(branchName);
  replay = await startReplayServer({
    restart: [...connect(), branch.getBase, branch.create, branch.getCreated],
    'restart-issue': [...connect(), issuesWithoutOurs(issueRepo, recordedLogin, time.now().toISOString()), issueCreate()],
  });
  main = nodeMain();
}, 30_000);

afterAll(async () => {
  await first?.close();
  await second?.close();
  main?.close();
  await replay?.close();
  dir.remove();
  issueDir.remove();
});

/** Waits (bounded) until the workspace's newest action is done. */
async function newestDone(core: Core, workspaceId: string): Promise<GithubAction | undefined> {
  let newest: GithubAction | undefined;
  for (let i = 0; i < 300 && newest?.state !== 'done'; i++) {
    newest = (await core.api.github.queue({ workspaceId }))[0];
    if (newest?.state !== 'done') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return newest;
}

describe('github actions queue across a restart', () => {
  it('an action left sending is checked with GitHub after the restart and not sent twice', { timeout: 90_000 }, async () => {
    first = await createCore({ dataDir: dir.path, main: main.client, fetch: answerLost, github: { retries: false } });
    const workspace = await first.api.workspaces.create({ name: 'Acme' });
    const project = await first.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
    const task = await first.api.tasks.create({ projectId: project.id, title: 'Fix the login' });
    await first.api.github.connectToken({ token: 'ghu_acceptedToken000', baseUrl: await replay.load('restart') });

    const call = first.api.github.createBranch({ taskId: task.id, repo: branchRepo, from: 'main' }).catch((error: unknown) => error);
    await answeredByGithub;
    const { rows } = await first.internals.db.query<{ state: string; prepared: unknown }>('SELECT state, prepared FROM github_actions');
    expect(rows).toEqual([{ state: 'sending', prepared: { base: 'main', sha: '0000000000000000000000000000000000000001' } }]);
    await first.close();
    first = undefined;
    expect(await call).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('checked with GitHub and finished when the app starts again') });

    second = await createCore({ dataDir: dir.path, main: main.client, fetch: noting, github: { retries: false } });
    const events: GithubEvent[] = [];
    second.events.on('github', (event) => void events.push(event));
    expect(await newestDone(second, workspace.id)).toMatchObject({ kind: 'branch', state: 'done', attempts: 2, error: null, result: { ref: branchName } });

    const creates = requests.filter((r) => r.method === 'POST' && r.url.endsWith('/git/refs'));
    expect(creates).toHaveLength(1);
    // The recovery's one request: the branch, found at main's sha.
    expect(requests.at(-1)).toMatchObject({ method: 'GET', url: expect.stringMatching(new RegExp(`/repos/${branchRepo}/git/ref/heads/${branchName}$`)) });
    // Seen after the new core opened (it may have marked it sending before we listened): one attempt, done.
    const states = events.map((e) => (e.kind === 'action' ? e.action.state : e.kind));
    expect(states.at(-1)).toBe('done');
    expect(states.filter((s) => s === 'sending').length).toBeLessThanOrEqual(1);
  });

  it('an action left sending before its request reached GitHub is looked for, not found, and sent once', { timeout: 90_000 }, async () => {
    await second?.close();
    second = undefined;
    let reached!: () => void;
    const postStarted = new Promise<void>((resolve) => (reached = resolve));
    // The create never leaves this machine: the core is closed while it waits.
    const neverSent: typeof fetch = async (input, init) => {
      if (init?.method !== 'POST' || !String(input).endsWith('/issues')) return noting(input, init);
      reached();
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    };
    const before = requests.length;
    first = await createCore({ dataDir: issueDir.path, main: main.client, fetch: neverSent, clock: time.clock, github: { retries: false } });
    const workspace = await first.api.workspaces.create({ name: 'Acme' });
    const project = await first.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
    const task = await first.api.tasks.create({ projectId: project.id, title: 'Fix the login' });
    await first.api.github.connectToken({ token: 'ghu_acceptedToken000', baseUrl: await replay.load('restart-issue') });
    const call = first.api.github.createIssue({ taskId: task.id, repo: issueRepo }).catch((error: unknown) => error);
    await postStarted;
    await first.close();
    first = undefined;
    expect(await call).toMatchObject({ code: 'UNAVAILABLE' });

    // Reopened five minutes later: the check still looks from the first send (the recorded listing's `since`).
    time.sleepUntil('2026-03-02T09:05:00.000Z');
    second = await createCore({ dataDir: issueDir.path, main: main.client, fetch: noting, clock: time.clock, github: { retries: false } });
    expect(await newestDone(second, workspace.id)).toMatchObject({ kind: 'issue', state: 'done', attempts: 2, result: { number: 1 } });
    const sent = requests.slice(before).map((r) => `${r.method} ${new URL(r.url).pathname.replace(/^\/api\.github\.com\/[^/]+/, '')}`);
    expect(sent).toEqual(['GET /user', `GET /repos/${issueRepo}/issues`, `POST /repos/${issueRepo}/issues`]);
    // Linked to its task once done.
    const { rows } = await second.internals.db.query('SELECT kind, ref FROM github_task_links WHERE task_id = $1', [task.id]);
    expect(rows).toEqual([{ kind: 'issue', ref: '1' }]);
  });
});
