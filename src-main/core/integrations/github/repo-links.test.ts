/**
 * Repos linked to projects are shared state: written to the workspace doc through the mutation
 * queue, projected to `github_links`, seen by teammates through a real relay; a viewer may not link,
 * a bad name is VALIDATION naming `repo`, and linking one repo twice at once makes one link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { eventually, startTeam, type Team } from '../../testing/team';
import type { Project } from '../../../contract';

let team: Team;
let viewer: Core;
let project: Project;

beforeAll(async () => {
  team = await startTeam(2);
  const [owner, member] = team.cores;
  viewer = await createCore({ dataDir: null });
  const token = await team.relay.issueToken({ workspace: team.workspace.id, role: 'viewer', name: 'Cleo' });
  await viewer.api.sync.join({ invite: token.invite });
  project = await owner!.api.projects.create({ workspaceId: team.workspace.id, name: 'Website', key: 'WEB' });
  await Promise.all([member!, viewer].map((core) => eventually(() => core.api.projects.list({ workspaceId: team.workspace.id }), (list) => list.length === 1)));
}, 60_000);

afterAll(async () => {
  await viewer?.close();
  await team?.close();
});

describe('github repo links', () => {
  it('linking the same repo twice at once (any case) makes one link; teammates see it; the row is queryable', async () => {
    const [owner, member] = team.cores;
    const links = await Promise.all([
      owner!.api.github.linkRepo({ projectId: project.id, repo: 'acme/website' }),
      owner!.api.github.linkRepo({ projectId: project.id, repo: 'Acme/Website' }),
      owner!.api.github.linkRepo({ projectId: project.id, repo: ' acme/api ' }),
    ]);
    expect(links[0]).toEqual(links[1]);
    expect(links[0]).toMatchObject({ projectId: project.id, workspaceId: team.workspace.id, repo: 'acme/website', linkedBy: expect.any(String) });
    expect(links[2]!.repo).toBe('acme/api');
    expect((await owner!.api.github.links({ projectId: project.id })).map((l) => l.repo)).toEqual(['acme/api', 'acme/website']);
    const { rows } = await owner!.internals.db.query('SELECT repo FROM github_links WHERE project_id = $1 AND deleted_at IS NULL ORDER BY repo', [project.id]);
    expect(rows).toEqual([{ repo: 'acme/api' }, { repo: 'acme/website' }]);

    for (const core of [member!, viewer]) {
      await eventually(() => core.api.github.links({ projectId: project.id }), (list) => list.length === 2);
    }
  });

  it('two replicas linking one repo at once converge on one link', async () => {
    const [owner, member] = team.cores;
    await Promise.all([
      owner!.api.github.linkRepo({ projectId: project.id, repo: 'acme/docs' }),
      member!.api.github.linkRepo({ projectId: project.id, repo: 'ACME/docs' }),
    ]);
    for (const core of [owner!, member!, viewer]) {
      const list = await eventually(() => core.api.github.links({ projectId: project.id }), (l) => l.length === 3 && l.some((x) => x.repo.toLowerCase() === 'acme/docs'));
      expect(list.filter((l) => l.repo.toLowerCase() === 'acme/docs')).toHaveLength(1);
    }
  });

  it('a member unlinks; teammates see it gone; unlinking again is NOT_FOUND; linking again brings it back', async () => {
    const [owner, member] = team.cores;
    expect(await member!.api.github.unlinkRepo({ projectId: project.id, repo: 'acme/api' })).toEqual({ projectId: project.id, repo: 'acme/api' });
    await eventually(() => owner!.api.github.links({ projectId: project.id }), (list) => !list.some((l) => l.repo === 'acme/api'));
    await expect(member!.api.github.unlinkRepo({ projectId: project.id, repo: 'acme/api' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'repo' } });
    await owner!.api.github.linkRepo({ projectId: project.id, repo: 'acme/api' });
    expect((await owner!.api.github.links({ projectId: project.id })).some((l) => l.repo === 'acme/api')).toBe(true);
  });

  it('a viewer may not link or unlink (FORBIDDEN), and nothing is written', async () => {
    const before = await viewer.api.github.links({ projectId: project.id });
    const refused = await Promise.allSettled([
      viewer.api.github.linkRepo({ projectId: project.id, repo: 'acme/viewer' }),
      viewer.api.github.unlinkRepo({ projectId: project.id, repo: 'acme/website' }),
    ]);
    for (const result of refused) expect(result).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN', message: expect.stringContaining('you are a viewer') } });
    expect(await viewer.api.github.links({ projectId: project.id })).toEqual(before);
  });

  it('a repo that is not owner/name is VALIDATION naming repo; an unknown project is NOT_FOUND', async () => {
    const [owner] = team.cores;
    for (const repo of ['acme', 'acme/web/extra', '-acme/web', 'acme/..', 'https://github.com/acme/web', 'acme/we b', '']) {
      await expect(owner!.api.github.linkRepo({ projectId: project.id, repo })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^Invalid input to github\.linkRepo: repo: must be owner\/name/) });
    }
    await expect(owner!.api.github.linkRepo({ projectId: '018f0000-0000-7000-8000-000000000000', repo: 'acme/web' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'projectId' } });
  });
});
