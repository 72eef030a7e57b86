/**
 * Vercel links are shared state and each teammate uses their own token: the owner links a Vercel
 * project, the member (connected with a token of their own) sees the link and lists its
 * deployments with it; a viewer may not link (FORBIDDEN, nothing written, no request to Vercel).
 * And the token never sits in plaintext in a real data dir or a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../contract';
import { createCore, type Core } from '../../core';
import { nodeMain } from '../../main/main-client';
import { ephemeralSealer } from '../../sync/secrets';
import { capturingLogger, searchDataDir } from '../../testing/secrets-on-disk';
import { tempDir } from '../../testing/temp-core';
import { eventually, startTeam, type Team } from '../../testing/team';
import { startVercelServer, type VercelServer } from './testing/vercel-server';

const ownerToken = 'vcp_OwnerToken7f3a9c1e5b2d8f4a6c0e';
const memberToken = 'vcp_MemberToken0c6a4f8d2b5e1c9a3f7';
let team: Team;
let viewer: Core;
let project: Project;
let vercel: VercelServer;

beforeAll(async () => {
  vercel = await startVercelServer({ token: ownerToken });
  vercel.tokens.add(memberToken);
  vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null });
  vercel.addDeployment({ id: 'dpl_One', projectId: 'prj_site', readyState: 'READY', target: 'production', created: Date.parse('2026-03-01T10:00:00Z'), ref: 'main', sha: 'a'.repeat(40), message: 'Launch' });
  team = await startTeam(2);
  const [owner, member] = team.cores;
  viewer = await createCore({ dataDir: null });
  const invite = await team.relay.issueToken({ workspace: team.workspace.id, role: 'viewer', name: 'Cleo' });
  await viewer.api.sync.join({ invite: invite.invite });
  project = await owner!.api.projects.create({ workspaceId: team.workspace.id, name: 'Website', key: 'WEB' });
  await Promise.all([member!, viewer].map((core) => eventually(() => core.api.projects.list({ workspaceId: team.workspace.id }), (list) => list.length === 1)));
}, 60_000);

afterAll(async () => {
  await viewer?.close();
  await team?.close();
  await vercel?.close();
});

const linkedIn = async (core: Core) =>
  (await core.internals.db.query<{ vercel_project_id: string }>('SELECT vercel_project_id FROM vercel_links WHERE project_id = $1 AND deleted_at IS NULL', [project.id])).rows.map((r) => r.vercel_project_id);

describe('vercel links across a team', () => {
  it('the owner links; the member sees it and reads deployments with their own token', async () => {
    const [owner, member] = team.cores;
    await owner!.api.vercel.connect({ token: ownerToken, baseUrl: vercel.baseUrl });
    // Two links at once (a double click) are one entry.
    const [a, b] = await Promise.all([
      owner!.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_site' }),
      owner!.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_site' }),
    ]);
    expect(a).toEqual(b);
    await eventually(() => linkedIn(member!), (ids) => ids.length === 1);
    expect(await linkedIn(member!)).toEqual(['prj_site']);
    // Not connected on the member's machine: the link is there, the token is not.
    await expect(member!.api.vercel.deployments({ projectId: project.id })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await member!.api.vercel.connect({ token: memberToken, baseUrl: vercel.baseUrl });
    expect((await member!.api.vercel.deployments({ projectId: project.id })).map((d) => d.id)).toEqual(['dpl_One']);
    expect(vercel.requests.at(-1)!.authorization).toBe(`Bearer ${memberToken}`);
  });

  it('a viewer may not link, deploy or roll back (FORBIDDEN) and nothing is written or asked', async () => {
    await eventually(() => linkedIn(viewer), (ids) => ids.length === 1);
    const asked = vercel.requests.length;
    await expect(viewer.api.vercel.linkProject({ projectId: project.id, vercelProjectId: 'prj_other' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('you are a viewer'),
    });
    expect(vercel.requests.length).toBe(asked);
    // Nor deploy or roll back (even with a connection of their own).
    await viewer.api.vercel.connect({ token: memberToken, baseUrl: vercel.baseUrl });
    const afterConnect = vercel.requests.length;
    for (const refused of [viewer.api.vercel.deploy({ projectId: project.id, ref: 'main' }), viewer.api.vercel.rollback({ projectId: project.id, deploymentId: 'dpl_One' })]) {
      await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(vercel.requests.length).toBe(afterConnect);
    expect(await linkedIn(viewer)).toEqual(['prj_site']);
  });
});

describe('the Vercel token on disk', () => {
  it('is sealed: no file of the data dir and no log line holds it, and it opens again after a restart', async () => {
    const dir = tempDir('groundwork-vercel-token-');
    try {
      const sealer = ephemeralSealer();
      const { lines, logger } = capturingLogger();
      const main = nodeMain({ sealer });
      const core = await createCore({ dataDir: dir.path, logger, main: main.client });
      await core.api.vercel.connect({ token: ownerToken, baseUrl: vercel.baseUrl });
      await core.close();
      main.close();

      const { files, holding } = searchDataDir(dir.path, [ownerToken, Buffer.from(ownerToken).toString('base64'), ownerToken.slice(4, 28)]);
      expect(files.length).toBeGreaterThan(50);
      expect(holding).toEqual([]);
      expect(lines.filter((line) => line.includes(ownerToken.slice(4, 28)))).toEqual([]);

      const mainAgain = nodeMain({ sealer });
      const again = await createCore({ dataDir: dir.path, logger, main: mainAgain.client });
      try {
        expect(await again.api.vercel.account()).toMatchObject({ username: 'ana-lima', baseUrl: vercel.baseUrl });
        expect((await again.api.vercel.projects()).map((p) => p.id)).toEqual(['prj_site']);
        expect(vercel.requests.at(-1)!.authorization).toBe(`Bearer ${ownerToken}`);
      } finally {
        await again.close();
        mainAgain.close();
      }
    } finally {
      dir.remove();
    }
  }, 60_000);
});
