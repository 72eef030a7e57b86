/**
 * One cold start, in a fresh process (spawned by bench/cold-start.ts):
 *   open <dataDir> <workspaceId> <projectId>  → createCore + the first board queries, timed
 *   seed <dataDir> <projects> <tasksPerProject> → builds a data dir to open (prints its ids)
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';

const [mode, dataDir, ...rest] = process.argv.slice(2);
if (!dataDir || (mode !== 'open' && mode !== 'seed')) throw new Error('usage: cold-start-child open|seed <dataDir> …');

if (mode === 'open') {
  const [workspaceId, projectId] = rest as [string, string];
  const t0 = performance.now();
  const { createCore } = await import('../../src-main/core/core');
  const { connectTo } = await import('../../src-main/core/testing/temp-core');
  const t1 = performance.now();
  const core = await createCore({ dataDir });
  const t2 = performance.now();
  // The renderer's first screen: the sidebar's projects, then the board's columns and cards —
  // through the RPC, as the renderer asks for them.
  const { api } = connectTo(core);
  const projects = await api.projects.list({ workspaceId });
  const stages = await api.stages.list({ projectId });
  const tasks = await api.tasks.list({ projectId });
  const t3 = performance.now();
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  await core.close();
  console.log(
    JSON.stringify({
      import_ms: t1 - t0,
      open_ms: t2 - t1,
      query_ms: t3 - t2,
      projects: projects.length,
      stages: stages.length,
      tasks: tasks.length,
      rss_mb: rssMb,
    }),
  );
} else {
  const [projectCount, perProject] = rest.map(Number) as [number, number];
  const { createCore } = await import('../../src-main/core/core');
  const { projectRoom } = await import('../../src-main/core/sync/rooms');
  const { seedTasks } = await import('./lib');
  const core = await createCore({ dataDir });
  const workspace = await core.api.workspaces.create({ name: 'Cold start' });
  const projectIds: string[] = [];
  for (let p = 0; p < projectCount; p++) {
    const project = await core.api.projects.create({ workspaceId: workspace.id, name: `Project ${p + 1}` });
    projectIds.push(project.id);
    if (perProject > 0) {
      await seedTasks(core, { workspaceId: workspace.id, projectId: project.id, count: perProject, seed: p + 1 });
      // A settled replica: the log merged into a snapshot, as the doc store does after a burst.
      await core.internals.docs.compact(projectRoom(workspace.id, project.id));
    }
  }
  // What the doc store schedules on its own after that many rows changed (a timer that a tight
  // seeding loop never lets fire): statistics and visibility map of the projection tables.
  await core.internals.docs.maintain();
  const { rows } = await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks');
  await core.close();
  console.log(JSON.stringify({ workspaceId: workspace.id, projectId: projectIds[0], tasks: rows[0]?.n ?? 0 }));
}
