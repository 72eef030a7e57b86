/**
 * Exactly once across a restart: a core on a real data dir creates a branch; GitHub (the replay
 * server) makes it, but the answer never reaches the core, which is closed with the action still
 * `sending`. A new core on the same data dir finds the action, asks GitHub whether the branch is
 * there at the sha it was about to use, and marks it done WITHOUT sending the create again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GithubAction, GithubEvent } from '../../../contract';
import { createCore, type Core } from '../../core';
import { nodeMain, type NodeMain } from '../../main/main-client';
import { tempDir } from '../../testing/temp-core';
import { branchExchanges, branchRepo, connect } from './testing/actions-scenarios';
import { startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

const branchName = 'enricomi/web-1-fix-the-login';
const dir = tempDir('groundwork-actions-restart-');
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
  replay = await startReplayServer({ restart: [...connect(), branch.getMain, branch.create, branch.getCreated] });
  main = nodeMain();
}, 30_000);

afterAll(async () => {
  await first?.close();
  await second?.close();
  main?.close();
  await replay?.close();
  dir.remove();
});

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
    let done: GithubAction | undefined;
    for (let i = 0; i < 300 && done?.state !== 'done'; i++) {
      done = (await second.api.github.queue({ workspaceId: workspace.id }))[0];
      if (done?.state !== 'done') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(done).toMatchObject({ kind: 'branch', state: 'done', attempts: 2, error: null, result: { ref: branchName } });

    const creates = requests.filter((r) => r.method === 'POST' && r.url.endsWith('/git/refs'));
    expect(creates).toHaveLength(1);
    // The recovery's one request: the branch, found at main's sha.
    expect(requests.at(-1)).toMatchObject({ method: 'GET', url: expect.stringMatching(new RegExp(`/repos/${branchRepo}/git/ref/heads/${branchName}$`)) });
    // Seen after the new core opened (it may have marked it sending before we listened): one attempt, done.
    const states = events.map((e) => (e.kind === 'action' ? e.action.state : e.kind));
    expect(states.at(-1)).toBe('done');
    expect(states.filter((s) => s === 'sending').length).toBeLessThanOrEqual(1);
  });
});
