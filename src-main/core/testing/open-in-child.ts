/**
 * Run as a child process by tests: opens a core on argv[2], optionally writes tasks, prints one
 * JSON line with what happened, then waits (holding the data dir) until killed or stdin closes.
 */
import { createCore } from '../core';

const [dataDir, mode] = process.argv.slice(2);
try {
  const core = await createCore({ dataDir: dataDir! });
  if (mode === 'write') {
    const workspace = await core.api.workspaces.create({ name: 'From child' });
    const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Crash test' });
    for (let i = 0; i < 20; i++) await core.api.tasks.create({ projectId: project.id, title: `Task ${i}` });
  }
  console.log(JSON.stringify({ opened: true }));
  process.stdin.resume();
  process.stdin.on('end', () => void core.close().then(() => process.exit(0)));
} catch (error) {
  console.log(JSON.stringify({ opened: false, code: (error as { code?: string }).code, message: String((error as Error).message) }));
  process.exit(1);
}
