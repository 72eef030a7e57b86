/**
 * The restore a core is started with (`CorePorts.restoreFrom`, after `backups.restore` asked its
 * host to restart it): run before the replica opens, while nothing holds the data dir. A failure
 * leaves the replica as it was (restore.ts never half-swaps), so the core opens it anyway and
 * `backups.lastRestore` tells the person why the restore did not happen.
 */
import type { BackupRestoreOutcome } from '../../contract';
import type { Logger } from '../ports';
import { safetyFolderOf } from './backups.api';
import { restoreBackup } from './restore';

export async function restoreAtStart(dataDir: string | null, file: string, logger: Logger, clock: () => Date): Promise<BackupRestoreOutcome> {
  const failed = (error: string): BackupRestoreOutcome => ({ file, at: clock().toISOString(), ok: false, safetyBackup: null, error });
  if (dataDir === null) return failed('this core keeps its data in memory: there is no replica on disk to restore into');
  try {
    const { safetyBackup } = await restoreBackup({ dataDir, file, safetyFolder: safetyFolderOf(dataDir), now: clock });
    logger.info({ file, safetyBackup: safetyBackup?.path ?? null }, 'restored a backup into the data dir');
    return { file, at: clock().toISOString(), ok: true, safetyBackup: safetyBackup?.path ?? null, error: null };
  } catch (error) {
    logger.error({ err: error, file }, 'the restore failed: opening the data as it was');
    return failed(error instanceof Error ? error.message : String(error));
  }
}
