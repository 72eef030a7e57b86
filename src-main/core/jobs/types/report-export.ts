/**
 * `report.export`: a project's (or the whole workspace's: `scope`) live projects and tasks as CSV,
 * JSON or XLSX in a folder the person chose. File names carry the scope and the local day
 * (`groundwork-tasks-WEB-2026-11-28.csv`); a second export the same day replaces the first in one
 * rename. CSV and JSON write one file per table; XLSX one workbook with a sheet per table. Every
 * file is staged and renamed (files/staged-file.ts): a failed or cancelled export leaves nothing
 * half-written under a final name, and files already committed by the same run are kept.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../contract';
import { checkChosenFolder, fileNamePart, folderParam, folderWriteError, isFileSystemError, localDay } from '../../files/chosen-folder';
import { writeStaged, type StagedFile } from '../../files/staged-file';
import { reportTables, type ReportScope, type ReportTable } from '../../reports/report-tables';
import { writeCsv, writeJson, writeXlsx, type ReportSource } from '../../reports/report-writers';
import type { JobRunContext, JobType } from '../job-type';

/**
 * Rows read and written per step: one step (the query, then its rows into the writer) runs without a
 * break, so it is kept to a couple of milliseconds, and a person's write waits at most that long.
 */
const BATCH_ROWS = 100;

const params = z
  .strictObject({
    folder: folderParam,
    format: z.enum(['csv', 'json', 'xlsx']).default('csv'),
    /**
     * What the export covers: one project (`projectId`, else the job's own) or the whole
     * workspace. Left out (jobs made before it existed): the project when there is one — this
     * param or the job's — else the workspace.
     */
    scope: z.enum(['project', 'workspace'], { error: 'must be project or workspace' }).optional(),
    /** One project; without it the job's own project. */
    projectId: z.uuid({ error: 'must be an id (UUID)' }).optional(),
  })
  .refine((p) => !(p.scope === 'workspace' && p.projectId !== undefined), {
    path: ['projectId'],
    error: 'must be left out when scope is workspace (the export covers every project)',
  });

const result = z.object({
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative(), rows: z.number().int().nonnegative() })),
  projects: z.number().int().nonnegative(),
  tasks: z.number().int().nonnegative(),
});

export type ReportExportParams = z.infer<typeof params>;
export type ReportExportResult = z.infer<typeof result>;

export const reportExportJob: JobType<typeof params, typeof result> = {
  type: 'report.export',
  title: 'Report export',
  params,
  result,
  async run(ctx, input, signal, progress) {
    await checkChosenFolder(input.folder);
    const { scope, label } = await resolveScope(ctx, projectToExport(ctx, input));
    const counts = new Map<ReportTable['name'], number>();
    for (const table of reportTables) counts.set(table.name, await table.count(ctx.db, scope));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    let done = 0;
    const written = (rows: number) => {
      done += rows;
      progress({ done, total, message: `Exported ${done} of ${total} rows` });
    };
    const source = (table: ReportTable): ReportSource => ({ title: table.title, columns: table.columns, batches: abortable(table.batches(ctx.db, scope, BATCH_ROWS), signal) });
    const day = localDay(ctx.now());
    const header = { exportedAt: ctx.now().toISOString(), scope: { workspaceId: scope.workspaceId, projectId: scope.projectId, label } };
    const files: ReportExportResult['files'] = [];
    const write = async (name: string, fill: (file: StagedFile) => Promise<number>) => {
      const path = join(input.folder, name);
      const { value: rows, bytes } = await writeStaged(path, fill).catch((error: unknown) => {
        throw isFileSystemError(error) ? folderWriteError(input.folder, error) : error;
      });
      files.push({ path, bytes, rows });
      ctx.log('info', `Wrote ${rows} rows to ${path} (${bytes} bytes)`);
    };

    progress({ done: 0, total, message: `Exporting ${total} rows` });
    if (input.format === 'xlsx') {
      await write(`groundwork-${label}-${day}.xlsx`, (file) => writeXlsx(file, reportTables.map(source), written));
    } else {
      for (const table of reportTables) {
        const name = `groundwork-${table.name}-${label}-${day}.${input.format}`;
        await write(name, (file) => (input.format === 'csv' ? writeCsv(file, source(table), written) : writeJson(file, header, source(table), written)));
      }
    }
    return { files, projects: counts.get('projects') ?? 0, tasks: counts.get('tasks') ?? 0 };
  },
};

/** The project the export covers, or null for the whole workspace. */
function projectToExport(ctx: JobRunContext, input: ReportExportParams): string | null {
  if (input.scope === 'workspace') return null;
  const projectId = input.projectId ?? ctx.projectId;
  if (input.scope === 'project' && !projectId) {
    throw new ApiError('VALIDATION', 'scope: project needs a project: set projectId, or give the job a project', { field: 'scope' });
  }
  return projectId;
}

/** The project (by key in file names) or the workspace (by name) the export covers. */
async function resolveScope(ctx: JobRunContext, projectId: string | null): Promise<{ scope: ReportScope; label: string }> {
  if (projectId) {
    const { rows } = await ctx.db.query<{ key: string }>('SELECT key FROM projects WHERE id = $1 AND workspace_id = $2 AND deleted_at IS NULL', [
      projectId,
      ctx.workspaceId,
    ]);
    if (!rows[0]) throw new ApiError('NOT_FOUND', `projectId: no live project ${projectId} in this workspace`, { field: 'projectId' });
    return { scope: { workspaceId: ctx.workspaceId, projectId }, label: fileNamePart(rows[0].key, 'project') };
  }
  const { rows } = await ctx.db.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [ctx.workspaceId]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No workspace ${ctx.workspaceId} on this replica`);
  return { scope: { workspaceId: ctx.workspaceId, projectId: null }, label: fileNamePart(rows[0].name, 'workspace') };
}

/** Stops between batches once the run is cancelled or times out. */
async function* abortable<T>(batches: AsyncGenerator<T>, signal: AbortSignal): AsyncGenerator<T> {
  for await (const batch of batches) {
    signal.throwIfAborted();
    yield batch;
  }
  signal.throwIfAborted();
}

