import { useEffect, useMemo, useState } from 'react';
import type { Task } from '../../../src-main/contract';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { formatAgo } from '../../components/format';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';

const EMPTY_TASKS: Record<string, Task> = {};

/** A project's deleted tasks, newest first: restore one, or delete it for good (after a confirmation). */
export function TrashView({ projectId }: { projectId: string }) {
  const tasks = useAppStore((s) => s.tasksByProject[projectId] ?? EMPTY_TASKS);
  const loadTrash = useAppStore((s) => s.loadTrash);
  const restoreTask = useAppStore((s) => s.restoreTask);
  const purgeTask = useAppStore((s) => s.purgeTask);
  const openTask = useAppStore((s) => s.openTask);
  const canEdit = useAppStore(selectCanEdit);
  const [purging, setPurging] = useState<Task | null>(null);

  // The board reads live tasks only; deleted ones are read when the Trash is shown, then kept current by change events.
  useEffect(() => {
    loadTrash(projectId).catch(toastError);
  }, [projectId, loadTrash]);

  const deleted = useMemo(
    () => Object.values(tasks).filter((t): t is Task & { deletedAt: string } => t.deletedAt !== null).sort((a, b) => b.deletedAt.localeCompare(a.deletedAt)),
    [tasks],
  );

  if (deleted.length === 0) return <EmptyState title="Trash is empty">Deleted tasks show up here, to restore or to delete for good.</EmptyState>;
  return (
    <div className="trash-view">
      <ul className="trash-list" aria-label="Deleted tasks">
        {deleted.map((task) => (
          <li key={task.id} className="trash-row">
            <button type="button" className="trash-open" onClick={() => openTask(task.id)}>
              <span className="task-key">{task.key}</span> <span className="row-title">{task.title}</span>
            </button>
            <span className="trash-when">deleted {formatAgo(task.deletedAt)}</span>
            {canEdit && (
              <>
                <button type="button" className="button" aria-label={`Restore ${task.key}`} onClick={() => restoreTask(task.id).then(() => toastInfo(`${task.key} restored`), toastError)}>
                  Restore
                </button>
                <button type="button" className="button" aria-label={`Delete forever ${task.key}`} onClick={() => setPurging(task)}>
                  Delete forever…
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {purging && (
        <ConfirmDialog
          title={`Delete ${purging.key} forever?`}
          confirmLabel="Delete forever"
          danger
          onConfirm={() => purgeTask(purging.id).then(() => toastInfo(`${purging.key} deleted forever`))}
          onClose={() => setPurging(null)}
        >
          <p>“{purging.title}” is removed from every replica of this workspace. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
