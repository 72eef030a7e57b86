/**
 * The `backups` namespace: the backups found on this machine and restoring one. A restore needs
 * the replica closed (restore.ts takes the data dir's lock), so the core cannot do it itself while
 * it runs: it checks the backup fully now — a damaged file is refused while the app still runs —
 * and asks its host (`main.app.restart`) to close it and start it again with the backup to restore
 * (`CorePorts.restoreFrom`, run by restore-at-start.ts before the replica opens).
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ApiError, type BackupInfo, type BackupRestoreOutcome, type Role } from '../../contract';
import type { HandlersOf } from '../api-registration';
import type { CoreContext } from '../context';
import { knownMigrations } from '../db/migrate';
import { requireJobRole } from '../jobs/job-roles';
import { listJobs } from '../jobs/jobs.repo';
import { requireWorkspace } from '../members/members.api';
import { listBackups, verifyBackup } from './backup-files';

export interface BackupsApiDeps {
  /** The core's data dir; null in memory (nothing to restore into, no safety folder). */
  dataDir: string | null;
  replica: string;
  roleIn(workspaceId: string): Role;
  /** How the restore this core was started with went, if it was started with one. */
  lastRestore: BackupRestoreOutcome | null;
}

/** Where restore.ts puts the safety backup of the replica it replaces. */
export const safetyFolderOf = (dataDir: string) => join(dataDir, 'backups');

export function backupsApi(ctx: CoreContext, deps: BackupsApiDeps) {
  const safetyFolder = deps.dataDir === null ? null : resolve(safetyFolderOf(deps.dataDir));
  /** Set from the moment a restore is accepted: the core is about to close, a second one waits for nothing. */
  let restarting = false;

  const authorize = async (workspaceId: string) => {
    await requireWorkspace(ctx.db, workspaceId);
    requireJobRole(deps.roleIn(workspaceId), 'restore');
  };

  /** The folders this workspace's backup jobs write into on this machine (a job another device runs writes on that device). */
  const jobFolders = async (workspaceId: string) => {
    const folders = new Map<string, { id: string; name: string }>();
    for (const job of await listJobs(ctx.db, deps.replica, workspaceId)) {
      const folder = (job.params as { folder?: unknown } | null)?.folder;
      if (job.type !== 'backup' || !job.runsHere || typeof folder !== 'string' || !isAbsolute(folder)) continue;
      if (!folders.has(resolve(folder))) folders.set(resolve(folder), { id: job.id, name: job.name });
    }
    return folders;
  };

  const backupsIn = async (folders: string[], jobs: Map<string, { id: string; name: string }>): Promise<BackupInfo[]> => {
    const found = await Promise.all(
      [...new Set(folders)].map(async (folder) =>
        (await listBackups(folder)).map(
          (backup): BackupInfo => ({
            file: backup.path,
            folder,
            createdAt: backup.createdAt,
            bytes: backup.bytes,
            verified: 'size',
            job: jobs.get(folder) ?? null,
            safety: folder === safetyFolder,
          }),
        ),
      ),
    );
    return found.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
  };

  return {
    async list({ workspaceId, folder }) {
      await authorize(workspaceId);
      const jobs = await jobFolders(workspaceId);
      if (folder !== undefined) return backupsIn([absolute(folder, 'folder')], jobs);
      return backupsIn([...jobs.keys(), ...(safetyFolder ? [safetyFolder] : [])], jobs);
    },
    async restore({ workspaceId, file }) {
      await authorize(workspaceId);
      const path = absolute(file, 'file');
      if (deps.dataDir === null || safetyFolder === null) {
        throw new ApiError('UNAVAILABLE', 'This core keeps its data in memory: there is no replica on disk to restore into.');
      }
      const listed = (await listBackups(dirname(path))).some((backup) => backup.path === path);
      if (!listed) {
        throw new ApiError('NOT_FOUND', `file: ${path} is not a complete Groundwork backup (a groundwork-backup-….tar.gz with its manifest beside it)`, { field: 'file' });
      }
      if (restarting) throw new ApiError('CONFLICT', 'file: a restore is already under way; the app restarts in a moment', { field: 'file' });
      restarting = true;
      try {
        const manifest = await verifyBackup(path);
        if (manifest.migration !== null && !knownMigrations().some((m) => m.name === manifest.migration)) {
          throw new ApiError('VALIDATION', `file: ${path} was made by a newer or different build of Groundwork (its database has migration ${manifest.migration}); restore it with that build`, {
            field: 'file',
          });
        }
        ctx.logger.info({ file: path }, 'restoring a backup: asking the host to restart the core');
        await ctx.main.api.app.restart({ restoreFrom: path });
      } catch (error) {
        restarting = false;
        throw error;
      }
      return { restarting: true as const, file: path, safetyFolder };
    },
    lastRestore: async () => deps.lastRestore,
  } satisfies HandlersOf<'backups'>;
}

function absolute(path: string, field: string): string {
  if (!isAbsolute(path)) throw new ApiError('VALIDATION', `${field}: must be an absolute path`, { field });
  return resolve(path);
}
