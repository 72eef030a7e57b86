/**
 * `github.branchName` ("Copy branch name") through a real core: the task's key and title, the
 * person (their display name; once GitHub is connected — a recorded GET /user on a loopback
 * server — their login), and the pattern preference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { branchPatternPreference } from './github.api';
import { recorded, startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

let replay: ReplayServer;
let core: Core;
let taskId: string;

beforeAll(async () => {
  replay = await startReplayServer({ connect: recorded('user-get-2023.json') });
  core = await createCore({ dataDir: null, github: { retries: false } });
  const workspace = await core.api.workspaces.create({ name: 'Acme' });
  const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
  const task = await core.api.tasks.create({ projectId: project.id, title: 'Fix the login: “Ünïcode” & spaces!' });
  taskId = task.id;
  await core.api.profile.update({ displayName: 'Ana Lima' });
});

afterAll(async () => {
  await core?.close();
  await replay?.close();
});

describe('github.branchName', () => {
  it('names the branch by the default pattern with the display name while GitHub is not connected', async () => {
    expect(await core.api.github.branchName({ taskId })).toEqual({ branchName: 'ana-lima/web-1-fix-the-login-unicode-spaces', pattern: '{user}/{key}-{title}' });
  });

  it('follows the pattern preference, and a pattern git cannot use is VALIDATION naming pattern', async () => {
    await core.api.preferences.set({ key: branchPatternPreference, value: 'feature/{key}' });
    expect(await core.api.github.branchName({ taskId })).toEqual({ branchName: 'feature/web-1', pattern: 'feature/{key}' });
    await core.api.preferences.set({ key: branchPatternPreference, value: 'my branch {key}' });
    await expect(core.api.github.branchName({ taskId })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^pattern: /) });
    await core.api.preferences.set({ key: branchPatternPreference, value: '' });
  });

  it('uses the GitHub login once connected', async () => {
    const baseUrl = await replay.load('connect');
    await core.api.github.connectToken({ token: 'ghu_acceptedToken000', baseUrl });
    expect((await core.api.github.branchName({ taskId })).branchName).toBe('enricomi/web-1-fix-the-login-unicode-spaces');
  });

  it('an unknown task is NOT_FOUND, a bad id VALIDATION naming taskId', async () => {
    await expect(core.api.github.branchName({ taskId: '01890000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.api.github.branchName({ taskId: 'WEB-1' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('taskId') });
  });
});
