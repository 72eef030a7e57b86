/**
 * A viewer of a shared workspace (joined through a real relay) takes no GitHub actions: FORBIDDEN,
 * before anything is stored or asked of GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Task } from '../../../contract';
import { createCore, type Core } from '../../core';
import { eventually, startTeam, type Team } from '../../testing/team';

let team: Team;
let viewer: Core;
let project: Project;
let task: Task;

beforeAll(async () => {
  team = await startTeam(1);
  const [owner] = team.cores;
  viewer = await createCore({ dataDir: null });
  const invite = await team.relay.issueToken({ workspace: team.workspace.id, role: 'viewer', name: 'Cleo' });
  await viewer.api.sync.join({ invite: invite.invite });
  project = await owner!.api.projects.create({ workspaceId: team.workspace.id, name: 'Website', key: 'WEB' });
  task = await owner!.api.tasks.create({ projectId: project.id, title: 'Fix the login' });
  await owner!.api.github.linkRepo({ projectId: project.id, repo: 'acme/website' });
  await eventually(() => viewer.api.projects.list({ workspaceId: team.workspace.id }), (projects) => projects.length === 1);
  await eventually(() => viewer.api.tasks.list({ projectId: project.id }), (tasks) => tasks.length === 1);
  await eventually(() => viewer.api.github.links({ projectId: project.id }), (links) => links.length === 1);
}, 60_000);

afterAll(async () => {
  await viewer?.close();
  await team?.close();
});

describe('github actions and roles', () => {
  it('a viewer gets FORBIDDEN for every action, and nothing is queued', async () => {
    const forbidden = { code: 'FORBIDDEN', message: expect.stringContaining('you are a viewer') };
    await expect(viewer.api.github.createBranch({ taskId: task.id, repo: 'acme/website' })).rejects.toMatchObject(forbidden);
    await expect(viewer.api.github.createIssue({ taskId: task.id, repo: 'acme/website' })).rejects.toMatchObject(forbidden);
    await expect(viewer.api.github.dispatchWorkflow({ repo: 'ACME/Website', workflow: 'deploy.yml', ref: 'main' })).rejects.toMatchObject(forbidden);
    await expect(viewer.api.github.createDeployment({ repo: 'acme/website', ref: 'main' })).rejects.toMatchObject(forbidden);
    expect(await viewer.api.github.queue({ workspaceId: team.workspace.id })).toEqual([]);
  });
});
