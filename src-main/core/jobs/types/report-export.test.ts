/**
 * report.export run directly on a real core: the files open and hold exactly the replica's rows
 * (CSV parsed back, JSON parsed, XLSX read back with exceljs), bad folders are clear errors naming
 * `folder`, failures leave no temp file, and a 10,000-task export reports progress batch by batch.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../core';
import { coreWithProject, tempDir } from '../../testing/temp-core';
import { parseInput } from '../../validate';
import { runHere } from '../testing/run-here';
import { testRunContext } from '../testing/run-context';
import { reportExportJob, type ReportExportResult } from './report-export';
import { parseCsv } from '../../files/testing/parse-csv';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const newFolder = () => {
  const dir = tempDir('groundwork-export-');
  cleanups.push(dir.remove);
  return dir.path;
};
const fixedNow = () => new Date(2026, 10, 28, 9, 30); // local 2026-11-28

async function seeded(): Promise<{ core: Core; workspaceId: string; projectId: string; otherProjectId: string }> {
  const { core, workspace, project } = await coreWithProject('Website');
  cleanups.push(() => core.close());
  const ada = await core.api.members.create({ workspaceId: workspace.id, name: 'Ada' });
  const bob = await core.api.members.create({ workspaceId: workspace.id, name: 'Bob' });
  await core.api.tasks.create({
    projectId: project.id,
    title: 'Launch, "v2"\nfinal',
    description: 'Multi\r\nline, with "quotes"',
    assigneeIds: [bob.id, ada.id],
    labels: ['copy', 'urgent'],
    dueDate: '2026-12-01',
    estimateHours: 2.5,
    priority: 'high',
  });
  await core.api.tasks.create({ projectId: project.id, title: '=HYPERLINK("http://evil")' });
  await core.api.tasks.create({ projectId: project.id, title: 'Ünïcödé 🚀' });
  const gone = await core.api.tasks.create({ projectId: project.id, title: 'Deleted one' });
  await core.api.tasks.delete({ id: gone.id });
  const other = await core.api.projects.create({ workspaceId: workspace.id, name: 'App', key: 'APP' });
  await core.api.tasks.create({ projectId: other.id, title: 'Other project task' });
  return { core, workspaceId: workspace.id, projectId: project.id, otherProjectId: other.id };
}

async function exportWith(core: Core, workspaceId: string, params: Record<string, unknown>, projectId: string | null = null) {
  const run = testRunContext(core, { workspaceId, projectId, now: fixedNow });
  cleanups.push(() => run.close());
  const result = (await run.run(reportExportJob, params)) as ReportExportResult;
  return { result, run };
}

describe('report.export', () => {
  it('writes a project as CSV files named by key and day that parse back to the replica rows', async () => {
    const { core, workspaceId, projectId } = await seeded();
    const folder = newFolder();
    const { result, run } = await exportWith(core, workspaceId, { folder, format: 'csv', projectId });
    expect(result.files.map((f) => f.path)).toEqual([
      join(folder, 'groundwork-projects-WEB-2026-11-28.csv'),
      join(folder, 'groundwork-tasks-WEB-2026-11-28.csv'),
    ]);
    expect(result).toMatchObject({ projects: 1, tasks: 3 });
    for (const file of result.files) expect(statSync(file.path).size).toBe(file.bytes);

    const text = readFileSync(result.files[1]!.path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual(['Key', 'Project', 'Title', 'Stage', 'Done', 'Priority', 'Assignees', 'Labels', 'Due date', 'Estimate (hours)', 'Created at', 'Updated at', 'Description', 'Id']);
    expect(rows).toHaveLength(3);
    const tasks = await core.api.tasks.list({ projectId });
    const byKey = new Map(tasks.map((t) => [t.key, t]));
    const col = (name: string) => header!.indexOf(name);
    for (const row of rows) {
      const task = byKey.get(row[col('Key')]!)!;
      expect(row[col('Id')]).toBe(task.id);
      expect(row[col('Created at')]).toBe(task.createdAt);
      expect(row[col('Description')]).toBe(task.description);
      const title = row[col('Title')]!;
      expect(title).toBe(task.title.startsWith('=') ? `'${task.title}` : task.title);
    }
    const first = rows.find((r) => r[col('Key')] === 'WEB-1')!;
    expect(first[col('Title')]).toBe('Launch, "v2"\nfinal');
    expect(first[col('Assignees')]).toBe('Ada; Bob');
    expect(first[col('Labels')]).toBe('copy; urgent');
    expect(first[col('Due date')]).toBe('2026-12-01');
    expect(first[col('Estimate (hours)')]).toBe('2.5');
    expect(first[col('Priority')]).toBe('high');
    expect(rows.map((r) => r[col('Key')])).toEqual(['WEB-1', 'WEB-2', 'WEB-3']);
    expect(readdirSync(folder).sort()).toEqual(['groundwork-projects-WEB-2026-11-28.csv', 'groundwork-tasks-WEB-2026-11-28.csv']);
    expect(run.progress.at(-1)).toMatchObject({ done: 4, total: 4 });
  });

  it('writes the whole workspace as JSON (the job context project unset), excluding deleted tasks', async () => {
    const { core, workspaceId } = await seeded();
    const folder = newFolder();
    const { result } = await exportWith(core, workspaceId, { folder, format: 'json' });
    expect(result.files.map((f) => f.path.slice(folder.length + 1))).toEqual(['groundwork-projects-Acme-2026-11-28.json', 'groundwork-tasks-Acme-2026-11-28.json']);
    const projects = JSON.parse(readFileSync(result.files[0]!.path, 'utf8'));
    const tasks = JSON.parse(readFileSync(result.files[1]!.path, 'utf8'));
    expect(projects.scope).toMatchObject({ workspaceId, projectId: null });
    expect(projects.projects.map((p: { key: string }) => p.key)).toEqual(['APP', 'WEB']);
    expect(projects.projects[1]).toMatchObject({ name: 'Website', openTasks: 3, doneTasks: 0, tags: [] });
    expect(tasks.tasks.map((t: { key: string }) => t.key)).toEqual(['APP-1', 'WEB-1', 'WEB-2', 'WEB-3']);
    expect(tasks.tasks[1]).toMatchObject({ assignees: ['Ada', 'Bob'], labels: ['copy', 'urgent'], estimateHours: 2.5, done: false, dueDate: '2026-12-01' });
    expect(tasks.tasks[3].title).toBe('Ünïcödé 🚀');
    expect(result.files.map((f) => f.rows)).toEqual([2, 4]);
  });

  it('uses the job context project when params name none', async () => {
    const { core, workspaceId, otherProjectId } = await seeded();
    const folder = newFolder();
    const { result } = await exportWith(core, workspaceId, { folder, format: 'json' }, otherProjectId);
    const tasks = JSON.parse(readFileSync(result.files[1]!.path, 'utf8'));
    expect(tasks.tasks.map((t: { key: string }) => t.key)).toEqual(['APP-1']);
  });

  it('a job of a project exports the whole workspace with scope workspace (created, run and read back through the API)', async () => {
    const { core, workspaceId, projectId } = await seeded();
    const folder = newFolder();
    const job = await core.api.jobs.create({ workspaceId, projectId, name: 'All of it', type: 'report.export', schedule: '0 3 1 1 *', timezone: 'UTC', params: { folder, format: 'json', scope: 'workspace' } });
    expect(job).toMatchObject({ projectId, params: { scope: 'workspace' } });
    const queued = await runHere(core.api, job.id);
    let ended = queued;
    for (let i = 0; i < 400 && !ended.finishedAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      ended = await core.api.jobs.execution({ id: queued.id });
    }
    expect(ended).toMatchObject({ status: 'succeeded', result: { projects: 2, tasks: 4 } });
    const [projectsFile, tasksFile] = (ended.result as ReportExportResult).files;
    expect(projectsFile!.path).toMatch(/groundwork-projects-Acme-\d{4}-\d{2}-\d{2}\.json$/);
    const projects = JSON.parse(readFileSync(projectsFile!.path, 'utf8'));
    const tasks = JSON.parse(readFileSync(tasksFile!.path, 'utf8'));
    expect(projects.scope).toMatchObject({ workspaceId, projectId: null, label: 'Acme' });
    expect(projects.projects.map((p: { key: string }) => p.key)).toEqual(['APP', 'WEB']);
    expect(tasks.tasks.map((t: { key: string }) => t.key)).toEqual(['APP-1', 'WEB-1', 'WEB-2', 'WEB-3']);
    await core.internals.scheduler.settled();

    // Without scope (jobs made before it), a project job still exports its project; scope project says so outright.
    for (const params of [{ folder, format: 'json' }, { folder, format: 'json', scope: 'project' }]) {
      const { result } = await exportWith(core, workspaceId, params, projectId);
      expect(result).toMatchObject({ projects: 1, tasks: 3 });
    }
  });

  it('refuses scope workspace with a projectId, and scope project with no project at all, naming the field', async () => {
    const { core, workspaceId, projectId } = await seeded();
    const folder = newFolder();
    expect(() => parseInput('report.export', reportExportJob.params, { folder, scope: 'workspace', projectId })).toThrow('projectId: must be left out when scope is workspace');
    expect(() => parseInput('report.export', reportExportJob.params, { folder, scope: 'all' })).toThrow('scope: must be project or workspace');
    await expect(exportWith(core, workspaceId, { folder, scope: 'project' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^scope: project needs a project/) });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('writes XLSX with a sheet per table that exceljs reads back', async () => {
    const { core, workspaceId, projectId } = await seeded();
    const folder = newFolder();
    const { result } = await exportWith(core, workspaceId, { folder, format: 'xlsx', projectId });
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ path: join(folder, 'groundwork-WEB-2026-11-28.xlsx'), rows: 4 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(result.files[0]!.path);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Projects', 'Tasks']);
    const sheet = book.getWorksheet('Tasks')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1).slice(0, 3)).toEqual(['Key', 'Project', 'Title']);
    expect(sheet.rowCount).toBe(4);
    const tasks = await core.api.tasks.list({ projectId });
    expect([2, 3, 4].map((n) => values(n)[0])).toEqual(['WEB-1', 'WEB-2', 'WEB-3']);
    expect(values(2)[2]).toBe(tasks.find((t) => t.key === 'WEB-1')!.title);
    expect(values(3)[2]).toBe('=HYPERLINK("http://evil")'); // a typed string cell, not a formula
    expect(values(2)[9]).toBe(2.5);
    expect(values(2)[4]).toBe(false);
    expect(book.getWorksheet('Projects')!.getRow(2).getCell(1).value).toBe('WEB');
  });

  it('refuses a missing folder, a file and a relative path, naming folder, and writes nothing', async () => {
    const { core, workspaceId } = await seeded();
    const folder = newFolder();
    writeFileSync(join(folder, 'a-file'), 'x');
    const run = testRunContext(core, { workspaceId, now: fixedNow });
    cleanups.push(() => run.close());
    await expect(run.run(reportExportJob, { folder: join(folder, 'missing') })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^folder: .*does not exist/),
      details: { field: 'folder' },
    });
    await expect(run.run(reportExportJob, { folder: join(folder, 'a-file') })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^folder: .*is a file/) });
    await expect(run.run(reportExportJob, { folder: 'relative/dir' })).rejects.toThrow(/must be an absolute path/);
    expect(readdirSync(folder)).toEqual(['a-file']);
  });

  it('refuses a folder it cannot write to', async (context) => {
    const { core, workspaceId } = await seeded();
    const folder = join(newFolder(), 'locked');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    cleanups.push(() => chmodSync(folder, 0o755));
    if (process.getuid?.() === 0) {
      console.log('skipped: running as root, which may write into a read-only folder');
      context.skip();
    }
    const run = testRunContext(core, { workspaceId, now: fixedNow });
    cleanups.push(() => run.close());
    await expect(run.run(reportExportJob, { folder })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^folder: .*cannot be written/) });
  });

  it('leaves no temp file and no final file when the run is cancelled halfway', async () => {
    const { core, workspaceId, projectId } = await seeded();
    await insertTasks(core, projectId, 3000);
    const folder = newFolder();
    const run = testRunContext(core, { workspaceId, now: fixedNow });
    cleanups.push(() => run.close());
    for (const format of ['csv', 'json', 'xlsx']) {
      const before = new AbortController();
      before.abort(new Error('cancelled by test'));
      await expect(run.run(reportExportJob, { folder, format, projectId }, before.signal)).rejects.toThrow('cancelled by test');
    }
    // Cancel once the first batch of tasks is on its way to disk (timers run between batches).
    const controller = new AbortController();
    const from = run.progress.length;
    const watcher = setInterval(() => {
      if (run.progress.slice(from).some((p) => p.done > 500)) controller.abort(new Error('cancelled by test'));
    }, 0);
    cleanups.push(() => clearInterval(watcher));
    await expect(run.run(reportExportJob, { folder, format: 'csv', projectId }, controller.signal)).rejects.toThrow('cancelled by test');
    const reached = run.progress.slice(from).at(-1)!;
    expect(reached.done).toBeGreaterThan(500);
    expect(reached.done).toBeLessThan(reached.total!); // it really stopped halfway
    // The projects file was complete and committed before the cancel; the tasks file never appears.
    expect(readdirSync(folder).filter((n) => n.includes('tasks') || n.endsWith('.partial') || n.startsWith('.'))).toEqual([]);
  });

  it('exports 10,000 tasks with progress per batch and lets other work run meanwhile', async () => {
    const { core, workspaceId, projectId } = await seeded();
    await insertTasks(core, projectId, 10_000);
    const folder = newFolder();
    const run = testRunContext(core, { workspaceId, now: fixedNow });
    cleanups.push(() => run.close());
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    cleanups.push(() => clearInterval(ticker));
    const [result] = await Promise.all([
      run.run(reportExportJob, { folder, format: 'xlsx', projectId }) as Promise<ReportExportResult>,
      core.api.tasks.create({ projectId, title: 'Written while exporting' }),
    ]);
    clearInterval(ticker);
    expect(result.tasks).toBeGreaterThanOrEqual(10_003);
    const counts = run.progress.map((p) => p.done);
    expect(counts.length).toBeGreaterThan(20); // one report per 500-row batch, not one at the end
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(run.progress.at(-1)).toMatchObject({ done: result.tasks + 1, total: result.tasks + 1 });
    expect(ticks).toBeGreaterThan(10); // timers fired between batches: the event loop was not held
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(result.files[0]!.path);
    expect(book.getWorksheet('Tasks')!.rowCount).toBe(result.tasks + 1);
    expect(existsSync(result.files[0]!.path)).toBe(true);
  });

  it('runs two exports of one folder at once without mixing their files', async () => {
    const { core, workspaceId, projectId } = await seeded();
    const folder = newFolder();
    const [a, b] = await Promise.all([
      exportWith(core, workspaceId, { folder, format: 'csv', projectId }),
      exportWith(core, workspaceId, { folder, format: 'json', projectId }),
    ]);
    expect(readdirSync(folder).sort()).toEqual([...a.result.files, ...b.result.files].map((f) => f.path.slice(folder.length + 1)).sort());
    expect(JSON.parse(readFileSync(b.result.files[1]!.path, 'utf8')).tasks).toHaveLength(3);
  });
});

/** Many tasks straight into the projection (the export reads only the projection; the doc path is tested elsewhere). */
async function insertTasks(core: Core, projectId: string, count: number): Promise<void> {
  await core.internals.db.query(
    `INSERT INTO tasks (id, project_id, number, title, description, stage_id, order_key, priority, assignee_ids, labels, created_at, updated_at)
     SELECT gen_random_uuid(), $1, 1000 + g, 'Bulk task ' || g, repeat('words ', 20), (SELECT id FROM stages WHERE project_id = $1 ORDER BY order_key LIMIT 1),
            'a' || lpad(g::text, 6, '0'), 'medium', '[]', '["bulk"]', now(), now()
     FROM generate_series(1, $2::int) g`,
    [projectId, count],
  );
}
