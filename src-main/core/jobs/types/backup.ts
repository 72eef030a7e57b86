/**
 * `backup`: the replica dumped (PGlite `dumpDataDir`, gzipped tar) into a folder the person chose,
 * keeping the newest `keep` backups there. The file format, the crash rules (a killed backup is
 * never listed) and restore live in core/backups/ (see its README).
 */
import { z } from 'zod';
import { listBackups, pruneBackups, writeBackup } from '../../backups/backup-files';
import { newestMigration } from '../../backups/restore';
import { checkChosenFolder, folderParam, folderWriteError, isFileSystemError } from '../../files/chosen-folder';
import type { JobType } from '../job-type';

const params = z.strictObject({
  folder: folderParam,
  /** How many backups this folder keeps (the newest); older ones are removed after a success. */
  keep: z.number().int().min(1).max(1000).default(10),
});

const result = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  sha256: z.string(),
  /** Backups removed to keep the newest `keep`. */
  pruned: z.array(z.string()),
  kept: z.number().int().nonnegative(),
});

export type BackupParams = z.infer<typeof params>;
export type BackupResult = z.infer<typeof result>;

export const backupJob: JobType<typeof params, typeof result> = {
  type: 'backup',
  title: 'Backup',
  params,
  result,
  async run(ctx, input, signal, progress) {
    await checkChosenFolder(input.folder);
    progress({ done: 0, total: null, message: 'Dumping the replica' });
    const migration = await newestMigration(ctx.db);
    // Pages still in Postgres' buffers go to the files first, so the dump needs no recovery on restore.
    await ctx.db.exec('CHECKPOINT');
    const dump = await ctx.db.dumpDataDir('gzip');
    signal.throwIfAborted();
    const createdAt = ctx.now();
    const written = await writeBackup(input.folder, dump, {
      createdAt,
      migration,
      signal,
      onProgress: (done, total) => progress({ done, total, message: `Writing the backup (${Math.round(done / 1024)} of ${Math.round(total / 1024)} KiB)` }),
    }).catch((error: unknown) => {
      throw isFileSystemError(error) ? folderWriteError(input.folder, error) : error;
    });
    ctx.log('info', `Backed up the replica to ${written.path} (${written.bytes} bytes)`);
    const pruned = await pruneBackups(input.folder, input.keep, createdAt);
    for (const path of pruned) ctx.log('info', `Removed the old backup ${path} (keeping the newest ${input.keep})`);
    return { ...written, pruned, kept: (await listBackups(input.folder)).length };
  },
};
