/**
 * Backups of this machine's data and restoring one — shown in Settings → Backups (every backup
 * job's folder plus the safety backups) and under a backup job's runs (that job's folder). One
 * component for both, so the restore flow is the same wherever a person finds it.
 *
 * A restore restarts the core (core/backups/README.md): `backups.restore` checks the file and
 * answers, the connection drops, and this panel waits for it to come back (`onReconnected`), then
 * shows how the restore went (`backups.lastRestore`). In the desktop app the window reloads instead.
 */
import { useEffect, useState } from 'react';
import type { BackupInfo, BackupRestoreOutcome } from '../../../src-main/contract';
import { api, onReconnected } from '../../api/connection';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanManageJobs } from '../../store/jobs-slice';
import { formatLocal, localTimeZone } from '../jobs/job-format';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Where a backup came from, in words: its job, the safety backup before a restore, or just its folder. */
function origin(backup: BackupInfo): string {
  if (backup.safety) return 'Safety backup (before a restore)';
  return backup.job ? `Job “${backup.job.name}”` : 'Backup folder';
}

/**
 * `readAgainOn`: a value whose change means new backups may exist (a backup job's newest run
 * finishing), so the list is read again.
 */
export function BackupsPanel({ workspaceId, folder, onCreateJob, readAgainOn }: { workspaceId: string; folder?: string; onCreateJob?(): void; readAgainOn?: string | null }) {
  const canManage = useAppStore(selectCanManageJobs);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [lastRestore, setLastRestore] = useState<BackupRestoreOutcome | null>(null);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);

  /** Bumped when the connection comes back after a restore: the core answering is a new one. */
  const [reads, setReads] = useState(0);

  useEffect(() => {
    if (!canManage) return;
    let current = true;
    Promise.all([api.backups.list({ workspaceId, ...(folder ? { folder } : {}) }), api.backups.lastRestore()]).then(([listed, outcome]) => {
      if (!current) return;
      setBackups(listed);
      setLastRestore(outcome);
    }, toastError);
    return () => {
      current = false;
    };
  }, [canManage, workspaceId, folder, reads, readAgainOn]);
  // Read again after a reconnect (a restore restarts the core), and say how the restore went.
  useEffect(
    () =>
      onReconnected(() => {
        setRestoring(null);
        setReads((n) => n + 1);
      }),
    [],
  );

  if (!canManage) return <p className="hint">Owners and admins of this workspace see and restore backups.</p>;

  return (
    <section className="backups-panel" aria-label="Backups">
      {restoring ? (
        <p className="backups-restoring" role="status">
          Restoring the backup of {formatLocal(restoring.createdAt)}… the app will reconnect.
        </p>
      ) : (
        lastRestore && <RestoreOutcome outcome={lastRestore} />
      )}
      {!backups ? (
        <p className="loading">Loading…</p>
      ) : backups.length === 0 ? (
        <EmptyState
          title="No backups yet"
          action={
            onCreateJob && (
              <button type="button" className="button button-primary" onClick={onCreateJob}>
                Create a backup job
              </button>
            )
          }
        >
          {folder
            ? 'This job has not written a backup into its folder yet: press Run now, or wait for its next run.'
            : 'A backup job writes a copy of this machine’s data into a folder you choose, on a schedule. Backups it writes show up here, ready to restore.'}
        </EmptyState>
      ) : (
        <table className="execution-table backups-table" aria-label="Backups">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Size</th>
              <th scope="col">From</th>
              <th scope="col">Checked</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((backup) => (
              <tr key={backup.file}>
                <td>
                  <time dateTime={backup.createdAt}>{formatLocal(backup.createdAt)}</time>
                </td>
                <td>{formatBytes(backup.bytes)}</td>
                <td>
                  {origin(backup)}
                  <div className="hint backups-folder" title={backup.file}>
                    {backup.folder}
                  </div>
                </td>
                <td title="The file is complete and its size matches its manifest; the checksum is checked before a restore.">Size verified</td>
                <td>
                  <button type="button" className="button" disabled={restoring !== null} onClick={() => setConfirming(backup)} aria-label={`Restore the backup of ${formatLocal(backup.createdAt)}…`}>
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming && (
        <ConfirmDialog
          title="Restore this backup?"
          confirmLabel="Restore and restart"
          danger
          onClose={() => setConfirming(null)}
          onConfirm={async () => {
            await api.backups.restore({ workspaceId, file: confirming.file });
            setRestoring(confirming);
          }}
        >
          <p>
            This machine’s data goes back to the backup of <strong>{formatLocal(confirming.createdAt)}</strong>. Groundwork restarts to do it: open windows
            reconnect in a few seconds.
          </p>
          <p>First, a safety backup of the data as it is now is taken, so this restore can be undone by restoring that one.</p>
          <p>
            In a workspace synced with a team, the restore changes only this machine’s copy: on the next sync the relay brings back everything newer that
            reached it, yours and your teammates’. It recovers what never reached the relay, and this machine’s own settings and job history.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function RestoreOutcome({ outcome }: { outcome: BackupRestoreOutcome }) {
  return outcome.ok ? (
    <p className="backups-outcome" role="status">
      Restored the backup {outcome.file} on {formatLocal(outcome.at)}.
      {outcome.safetyBackup && ` The data before it is in the safety backup ${outcome.safetyBackup}.`}
    </p>
  ) : (
    <p className="backups-outcome backups-outcome-failed" role="alert">
      The restore of {outcome.file} did not happen: {outcome.error} Your data is as it was before.
    </p>
  );
}

/** Opens the Jobs page with a new backup job's dialog (the empty state's pointer). */
export function createBackupJob(): void {
  const store = useAppStore.getState();
  store.setSettingsOpen(false);
  store.openJobs(null);
  store.setJobDialog({ mode: 'create', prefill: { name: 'Nightly backup', type: 'backup', schedule: '0 2 * * *', timezone: localTimeZone() } });
}
