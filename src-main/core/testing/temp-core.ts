/** Test factories: real cores on real PGlite, in memory or in a temp data dir, cleaned up after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../core';
import { connect, type Client, type Project, type Workspace } from '../../contract';
import { inProcessPair } from '../../rpc/in-process';

export function tempDir(prefix = 'groundwork-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A client of `core` on the real RPC path (in-process transport, JSON-cloned messages), as a window has. */
export function connectTo(core: Core): Client {
  const [coreEnd, clientEnd] = inProcessPair();
  core.serve(coreEnd);
  return connect(clientEnd);
}

/** An in-memory core with one workspace and one project (default stages). */
export async function coreWithProject(name = 'Website'): Promise<{ core: Core; workspace: Workspace; project: Project }> {
  const core = await createCore({ dataDir: null });
  const workspace = await core.api.workspaces.create({ name: 'Acme' });
  const project = await core.api.projects.create({ workspaceId: workspace.id, name, key: 'WEB' });
  return { core, workspace, project };
}

/** Every projection table's rows, in a stable order, for comparing two replicas or a rebuild. */
export async function projectionDump(core: Core): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of ['workspaces', 'members', 'projects', 'jobs', 'github_links', 'webhook_endpoints', 'vercel_links', 'stages', 'tasks', 'github_task_links', 'github_task_moves']) {
    const { rows } = await core.internals.db.query(`SELECT * FROM ${table} ORDER BY id`);
    dump[table] = rows;
  }
  return dump;
}
