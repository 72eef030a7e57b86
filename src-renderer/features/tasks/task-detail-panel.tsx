import { useEffect, useRef, useState } from 'react';
import { inputs, type Task } from '../../../src-main/contract';
import { ChipInput } from '../../components/chip-input';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DateField } from '../../components/date-field';
import { checkField, errorsOrToast } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { labelColor } from '../../components/label-chip';
import { MenuButton } from '../../components/menu-button';
import { LongTextField } from '../../components/long-text-field';
import { toastError, toastInfo } from '../../components/toasts';
import { findTask, type TaskPatch } from '../../store/board-slice';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { TaskCode } from '../github/task-code';
import { TaskDeploy } from '../vercel/task-deploy';
import { focusTask } from '../shortcuts/task-navigation';
import { PresenceAvatars } from '../sync/presence-avatars';
import { ViewOnlyBadge } from '../sync/view-only-badge';
import { copyBranchName, deleteTaskWithUndo, moveTaskToStage } from './task-actions';
import { TaskActivity } from './task-activity';
import { useProjectLabels } from './use-project-labels';
import { AssigneeCheckboxes, PrioritySelect, StageSelect } from './task-selects';

/** The side panel for the open task; keyed by task id so drafts never leak between tasks. */
export function TaskDetailPanel() {
  const task = useAppStore((s) => findTask(s, s.openTaskId));
  const openTask = useAppStore((s) => s.openTask);
  if (!task) return null;
  const close = () => {
    openTask(null);
    focusTask(task.id); // back to its card or row, where the person left off
  };
  return <TaskDetail key={task.id} task={task} onClose={close} />;
}

function TaskDetail({ task, onClose }: { task: Task; onClose(): void }) {
  const stages = useAppStore((s) => s.stagesByProject[task.projectId]);
  const members = useAppStore((s) => s.members);
  const updateTask = useAppStore((s) => s.updateTask);
  const restoreTask = useAppStore((s) => s.restoreTask);
  const canEdit = useAppStore(selectCanEdit);
  const panelRef = useRef<HTMLElement>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // The core's refusal of a field is shown beside that field, in plain words; anything else is a toast.
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = (patch: TaskPatch) =>
    updateTask(task.id, patch).then(
      () => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([field]) => !(field in patch)))),
      (error) => setErrors((e) => ({ ...e, ...errorsOrToast(error) })),
    );

  const knownLabels = useProjectLabels(task.projectId);

  // Focus the panel when it opens so Esc and screen readers land here.
  useEffect(() => {
    panelRef.current?.focus();
  }, []);

  const changeStage = (stageId: string) => moveTaskToStage(task, stageId).catch(toastError);

  const deleted = Boolean(task.deletedAt);

  return (
    <aside
      ref={panelRef}
      className="detail-panel"
      role="complementary"
      aria-label={`Task ${task.key}`}
      tabIndex={-1}
      onKeyDown={(e) => {
        // Esc in a dialog opened from the panel (a confirmation) closes that dialog only.
        if (e.key === 'Escape' && !e.defaultPrevented && !(e.target as HTMLElement).closest('dialog')) {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="detail-header">
        <span className="task-key">{task.key}</span>
        {deleted && <span className="status-pill status-deleted">Deleted</span>}
        <ViewOnlyBadge />
        <div className="spacer" />
        {deleted ? (
          canEdit && (
            <button type="button" className="button" onClick={() => restoreTask(task.id).then(() => toastInfo(`${task.key} restored`), toastError)}>
              Restore task
            </button>
          )
        ) : (
          <MenuButton
            label="Task options"
            items={[
              { label: 'Copy branch name', onSelect: () => void copyBranchName(task).catch(toastError) },
              ...(canEdit ? [{ label: 'Delete task…', danger: true, onSelect: () => setConfirmDelete(true) }] : []),
            ]}
          />
        )}
        <button type="button" className="icon-button" aria-label="Close task details" title="Close (Esc)" onClick={onClose}>
          ×
        </button>
      </header>
      <PresenceAvatars projectId={task.projectId} taskId={task.id} withText />
      {/* A disabled fieldset disables every control in it: a viewer reads the task, a deleted one waits for Restore. */}
      <fieldset className="detail-body" disabled={deleted || !canEdit}>
        <TitleField value={task.title} error={errors.title} onSave={(title) => save({ title })} />
        <LongTextField label="Description" value={task.description} maxLength={100_000} placeholder={canEdit ? 'Add a description…' : 'No description'} onSave={(description) => save({ description })} />
        <div className="detail-grid">
          <StageSelect stages={stages ?? []} value={task.stageId} onChange={changeStage} />
          <PrioritySelect value={task.priority} onChange={(priority) => save({ priority })} />
          <DateField label="Due date" field="dueDate" value={task.dueDate} error={errors.dueDate} onCommit={(dueDate) => save({ dueDate })} />
          <EstimateField key={`est-${task.estimateHours}`} value={task.estimateHours} error={errors.estimateHours} onSave={(estimateHours) => save({ estimateHours })} />
        </div>
        <AssigneeCheckboxes members={members} value={task.assigneeIds} onChange={(assigneeIds) => save({ assigneeIds })} />
        <div className="field">
          <span>Labels</span>
          <ChipInput label="Labels" values={task.labels} suggestions={knownLabels} colorOf={labelColor} placeholder="Add label" onChange={(labels) => save({ labels })} />
        </div>
        <p className="detail-footnote">
          Created {new Date(task.createdAt).toLocaleString()} · Updated {new Date(task.updatedAt).toLocaleString()}
        </p>
      </fieldset>
      <TaskDeploy task={task} />
      <TaskCode task={task} />
      <TaskActivity task={task} />
      {confirmDelete && (
        <ConfirmDialog title={`Delete ${task.key}?`} confirmLabel="Delete task" danger onConfirm={() => deleteTaskWithUndo(task)} onClose={() => setConfirmDelete(false)}>
          <p>“{task.title}” moves to the project’s Trash, where it can be restored or deleted for good.</p>
        </ConfirmDialog>
      )}
    </aside>
  );
}

/**
 * The title: saved on blur and Enter (an emptied one goes back). A new value from the store — a
 * teammate's edit arriving live, or a refused save rolled back — replaces the text unless it holds
 * typing not yet saved (that typing wins and is saved as usual). Short text: the last writer wins.
 */
function TitleField({ value, error, onSave }: { value: string; error?: string; onSave(v: string): void }) {
  const [draft, setDraft] = useState(value);
  // The store's value the draft was last in line with; compared while rendering (react.dev,
  // "Adjusting some state when a prop changes"), so there is no flash of the old text.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (draft === shown) setDraft(value);
  }
  const commit = () => {
    if (!draft.trim()) return setDraft(value);
    if (draft !== value) onSave(draft);
  };
  return (
    <FormField label="Title" error={error}>
      {(control) => (
        <input
          {...control}
          className="title-input"
          value={draft}
          maxLength={500}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
        />
      )}
    </FormField>
  );
}

const estimateSchema = inputs.tasks.update.shape.estimateHours;

/** Hours, checked with the contract's rule before saving: a refused value stays on screen with the reason beside it. */
function EstimateField({ value, error, onSave }: { value: number | null; error?: string; onSave(v: number | null): void }) {
  const [draft, setDraft] = useState(value === null ? '' : String(value));
  const [problem, setProblem] = useState<string | null>(null);
  const commit = () => {
    const next = draft.trim() === '' ? null : Number(draft);
    if (next !== null && !Number.isFinite(next)) return setDraft(value === null ? '' : String(value));
    const message = checkField('estimateHours', estimateSchema, next);
    setProblem(message);
    if (!message && next !== value) onSave(next);
  };
  return (
    <FormField label="Estimate (hours)" error={problem ?? error}>
      {(control) => (
        <input
          {...control}
          type="number"
          min={0}
          max={10_000}
          step={0.5}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
        />
      )}
    </FormField>
  );
}
