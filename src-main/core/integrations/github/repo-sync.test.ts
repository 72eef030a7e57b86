/**
 * The GitHub sync through real cores: a repo linked to a project gets its `github.sync` job, a
 * sync fills this replica's cache from a loopback server replaying recorded GitHub answers (with
 * GitHub's ETag/304 behaviour), links the tasks their texts name and moves the tasks merged and
 * opened pull requests ask for — once, even when two replicas sync the same PR at once; an
 * unchanged re-sync is all 304s and spends no quota. What the tests change in the recordings (task
 * keys, one page of commits) is listed in testing/sync-fixtures/README.md.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Project, Task, Workspace } from '../../../contract';
import { createCore, type Core } from '../../core';
import { converged, eventually, startTeam, type Team } from '../../testing/team';
import { recordings, startEtagReplay, type EtagReplay } from './testing/cache-fixtures/etag-replay-server';
import { pullsNamingTasks, pullsUrl, repo, scenarioTasks, serveRepo } from './testing/sync-scenario';
import { syncJobId } from './sync-job';

const at = (path: string) => `/repos/${repo}${path}`;
const syncFixtures = new URL('./testing/sync-fixtures/', import.meta.url);

async function connect(core: Core, server: EtagReplay): Promise<void> {
  await core.api.github.connectToken({ token: 'ghu_acceptedToken000', baseUrl: server.baseUrl });
}

/** Three tasks whose keys the recordings now name; the job paused so its timer never syncs during a test. */
async function projectWithTasks(core: Core, workspaceId: string, owner = core): Promise<{ project: Project; tasks: Task[] }> {
  const project = await core.api.projects.create({ workspaceId, name: 'Website', key: 'WEB' });
  const tasks = [];
  for (const title of scenarioTasks) tasks.push(await core.api.tasks.create({ projectId: project.id, title }));
  await core.api.github.linkRepo({ projectId: project.id, repo });
  const jobId = syncJobId(workspaceId, repo);
  await eventually(
    () => owner.api.jobs.list({ workspaceId }),
    (jobs) => jobs.some((j) => j.id === jobId),
  );
  await owner.api.jobs.pause({ id: jobId });
  return { project, tasks };
}

const stageName = async (core: Core, projectId: string, taskId: string) => {
  const stages = await core.api.stages.list({ projectId });
  const task = await core.api.tasks.get({ id: taskId });
  return stages.find((s) => s.id === task.stageId)?.name;
};

describe('github sync on one replica', () => {
  let server: EtagReplay;
  let core: Core;
  let workspace: Workspace;
  let project: Project;
  let tasks: Task[];

  beforeEach(async () => {
    server = await startEtagReplay();
    serveRepo(server);
    core = await createCore({ dataDir: null, github: { retries: false } });
    workspace = await core.api.workspaces.create({ name: 'Acme' });
    ({ project, tasks } = await projectWithTasks(core, workspace.id));
    await connect(core, server);
  });

  afterEach(async () => {
    await core.close();
    await server.close();
  });

  it('linking a repo makes its github.sync job, every 2 minutes, run by this replica', async () => {
    const job = await core.api.jobs.get({ id: syncJobId(workspace.id, repo) });
    expect(job).toMatchObject({ type: 'github.sync', schedule: '*/2 * * * *', params: { repo }, projectId: project.id, runner: expect.any(String) });
    // Linking the repo to a second project is the same job.
    const other = await core.api.projects.create({ workspaceId: workspace.id, name: 'Shop', key: 'SHOP' });
    await core.api.github.linkRepo({ projectId: other.id, repo: 'Octo-Org/Website' });
    expect((await core.api.jobs.list({ workspaceId: workspace.id })).filter((j) => j.type === 'github.sync')).toHaveLength(1);
    // Unlinked from one project it stays; from the last, it goes.
    await core.api.github.unlinkRepo({ projectId: other.id, repo: 'Octo-Org/Website' });
    expect((await core.api.jobs.list({ workspaceId: workspace.id })).filter((j) => j.type === 'github.sync')).toHaveLength(1);
    await core.api.github.unlinkRepo({ projectId: project.id, repo });
    expect((await core.api.jobs.list({ workspaceId: workspace.id })).filter((j) => j.type === 'github.sync')).toHaveLength(0);
  });

  it('a first sync fills the repo view, links tasks and moves them; an unchanged re-sync is all 304s and spends no quota', async () => {
    const [first] = await core.api.github.syncNow({ projectId: project.id });
    expect(first).toMatchObject({ repo, ok: true, error: null, branches: 3, commits: 30, pulls: 5, deployments: 2 });
    expect(first!.quotaSpent).toBeGreaterThan(0);
    expect(first!.links).toBe(3);
    expect(first!.moves).toBe(2);

    const view = await core.api.github.repo({ repo });
    expect(view).toMatchObject({ repo: 'octokit-fixture-org/hello-world', defaultBranch: 'master' });
    expect(view.syncedAt).not.toBeNull();
    expect(view.branches.map((b) => b.name)).toEqual(expect.arrayContaining(['master']));
    expect(view.commits).toHaveLength(30);
    expect(view.deployments.map((d) => d.environment).sort()).toEqual(['production', 'test']);
    const merged = view.pulls.find((p) => p.number === 403)!;
    expect(merged).toMatchObject({ state: 'merged', taskIds: [tasks[0]!.id] });
    const open = view.pulls.find((p) => p.number === 402)!;
    // The recorded combined status is pending; no review was recorded (unknown).
    expect(open).toMatchObject({ state: 'open', headRef: 'web-2-deployments-preview', checks: 'pending', reviewState: null, taskIds: [tasks[1]!.id] });
    expect(view.commits.filter((c) => c.taskIds.length > 0).map((c) => c.taskIds)).toEqual([[tasks[2]!.id]]);

    // Merged saying "fixes WEB-1": done. Opened from WEB-2's branch: In Review.
    expect(await stageName(core, project.id, tasks[0]!.id)).toBe('Done');
    expect(await stageName(core, project.id, tasks[1]!.id)).toBe('In Review');
    expect(await stageName(core, project.id, tasks[2]!.id)).toBe('Backlog');
    const links = await core.api.github.taskLinks({ taskId: tasks[0]!.id });
    expect(links.pulls).toMatchObject([{ number: 403, state: 'merged', url: expect.stringContaining('/pull/403') }]);
    expect(links.moves).toMatchObject([{ rule: 'onMerge', pull: 403, undoneAt: null }]);

    const sent = server.exchanges.length;
    const [again] = await core.api.github.syncNow({ projectId: project.id });
    expect(again).toMatchObject({ ok: true, quotaSpent: 0, links: 0, moves: 0, commits: 0, pulls: 0, branches: 0 });
    expect(again!.requests).toBe(again!.notModified);
    expect(server.exchanges.slice(sent).every((e) => e.status === 304)).toBe(true);
  });

  it('an undone move stays undone when the PR is seen again; rules decide the stage or turn a move off', async () => {
    await core.api.github.setProjectRules({ projectId: project.id, onOpen: { enabled: false, stageId: null } });
    const [first] = await core.api.github.syncNow({ projectId: project.id });
    expect(first!.moves).toBe(1);
    expect(await stageName(core, project.id, tasks[1]!.id)).toBe('Backlog');

    const [move] = (await core.api.github.taskLinks({ taskId: tasks[0]!.id })).moves;
    const undone = await core.api.github.undoMove({ moveId: move!.id });
    expect(undone.undoneAt).not.toBeNull();
    expect(await stageName(core, project.id, tasks[0]!.id)).toBe('Backlog');
    // The PR list changed (a new ETag): the merged PR is read again, and the task stays where it was put back.
    server.serve([pullsNamingTasks('"changed-since"')], pullsUrl);
    await core.api.github.syncNow({ projectId: project.id });
    expect(await stageName(core, project.id, tasks[0]!.id)).toBe('Backlog');
    expect((await core.api.github.undoMove({ moveId: move!.id })).undoneAt).toBe(undone.undoneAt);

    await expect(core.api.github.setProjectRules({ projectId: project.id, onMerge: { enabled: true, stageId: '01890000-0000-7000-8000-000000000000' } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^onMerge\.stageId: /),
    });
    await expect(core.api.github.undoMove({ moveId: '01890000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a linked repo without a job (deleted, or linked by an older version) gets one back from Sync now, run here', async () => {
    const jobId = syncJobId(workspace.id, repo);
    await core.api.jobs.delete({ id: jobId });
    const [sync] = await core.api.github.syncNow({ projectId: project.id });
    expect(sync).toMatchObject({ ok: true, links: 3, moves: 2 });
    expect(await core.api.jobs.get({ id: jobId })).toMatchObject({ type: 'github.sync', params: { repo } });
  });

  it('two syncs at once fetch, link and move once', async () => {
    const results = await Promise.all([core.api.github.syncNow({ projectId: project.id }), core.api.github.syncNow({ projectId: project.id })]);
    expect(results.map((r) => r[0]!.ok)).toEqual([true, true]);
    expect(results.map((r) => r[0]!.moves).sort()).toEqual([0, 2]);
    expect((await core.api.github.taskLinks({ taskId: tasks[0]!.id })).moves).toHaveLength(1);
  });

  it('failures say what to do and reach the job history: a repo gone, GitHub out of reach, not connected', async () => {
    const gone = await startEtagReplay();
    serveRepo(gone);
    gone.serve([{ ...recordings('get-repository', syncFixtures)[0]!, status: 404, response: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }], at(''));
    await connect(core, gone);
    const [missing] = await core.api.github.syncNow({ projectId: project.id });
    expect(missing).toMatchObject({ ok: false, error: expect.stringMatching(/syncing octo-org\/website.*Not Found.*gone, or the token cannot see it/) });
    expect((await core.api.github.repo({ repo })).error).toBe(missing!.error);

    // The job's run fails with the same words in its history.
    const jobId = syncJobId(workspace.id, repo);
    const started = await core.api.jobs.runNow({ id: jobId });
    if (!('execution' in started)) throw new Error('this replica runs the job: Run now starts it here');
    const execution = await eventually(
      () => core.api.jobs.execution({ id: started.execution.id }),
      (e) => e.status === 'failed',
    );
    expect(execution.error).toMatch(/Not Found/);

    const baseUrl = gone.baseUrl;
    await gone.close();
    const [unreachable] = await core.api.github.syncNow({ projectId: project.id });
    expect(unreachable).toMatchObject({ ok: false, error: expect.stringContaining(`could not be reached at ${baseUrl}`) });

    await core.api.github.disconnect();
    const [notConnected] = await core.api.github.syncNow({ projectId: project.id });
    expect(notConnected).toMatchObject({ ok: false, error: expect.stringContaining('not connected') });
    await expect(core.api.github.repo({ repo: 'octo-org/unlinked' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^repo: /) });
  });
});

describe('github sync on two replicas', () => {
  let team: Team;
  let server: EtagReplay;

  beforeAll(async () => {
    server = await startEtagReplay();
    serveRepo(server);
    team = await startTeam(2, undefined, { github: { retries: false } });
  });

  afterAll(async () => {
    await team?.close();
    await server?.close();
  });

  it('both sync the same merged PR at once: the task moves once, on the runner; the other replica sees it', async () => {
    // The member links the repo (and so runs its job); the owner may take the job over later.
    const [teammate, runner] = team.cores as [Core, Core];
    const { project, tasks } = await projectWithTasks(runner, team.workspace.id, teammate);
    await converged(team.cores);
    await Promise.all(team.cores.map((core) => connect(core, server)));

    const [theirs, mine] = await Promise.all(team.cores.map((core) => core.api.github.syncNow({ projectId: project.id })));
    expect(mine![0]).toMatchObject({ ok: true, moves: 2, links: 3 });
    // The teammate fetched with their own token into their own cache, and wrote nothing shared.
    expect(theirs![0]).toMatchObject({ ok: true, moves: 0, links: 0, commits: 30 });

    await converged(team.cores);
    for (const core of team.cores) {
      expect(await stageName(core, project.id, tasks[0]!.id)).toBe('Done');
      const links = await core.api.github.taskLinks({ taskId: tasks[0]!.id });
      expect(links.moves).toHaveLength(1);
      expect(links.pulls.map((p) => p.number)).toEqual([403]);
      const history = await core.api.tasks.history({ id: tasks[0]!.id });
      expect(history.filter((h) => h.field === 'stageId')).toHaveLength(1);
    }

    // The owner takes the job over and syncs a changed list: the move is not made again.
    await teammate.api.jobs.takeOver({ id: syncJobId(team.workspace.id, repo) });
    await converged(team.cores);
    server.serve([pullsNamingTasks('"changed-again"')], pullsUrl);
    const [after] = await teammate.api.github.syncNow({ projectId: project.id });
    expect(after).toMatchObject({ ok: true, moves: 0 });
    await converged(team.cores);
    expect((await runner.api.github.taskLinks({ taskId: tasks[0]!.id })).moves).toHaveLength(1);
  });
});
