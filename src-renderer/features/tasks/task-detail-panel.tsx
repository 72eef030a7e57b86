import { useEffect, useMemo, useRef, useState } from 'react';
import type { Task } from '../../../src-main/contract';
import { textColorOn } from '../../components/avatar';
import { ChipInput } from '../../components/chip-input';
import { LongTextField } from '../../components/long-text-field';
import { toastError, toastInfo } from '../../components/toasts';
import { byOrder, findTask, type TaskPatch } from '../../store/board-slice';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { PresenceAvatars } from '../sync/presence-avatars';
import { ViewOnlyBadge } from '../sync/view-only-badge';
import { TaskActivity } from './task-activity';
import { PrioritySelect, StageSelect } from './task-selects';

/** The side panel for the open task; keyed by task id so drafts never leak between tasks. */
export function TaskDetailPanel() {
  const task = useAppStore((s) => findTask(s, s.openTaskId));
  const openTask = useAppStore((s) => s.openTask);
  if (!task) return null;
  return <TaskDetail key={task.id} task={task} onClose={() => openTask(null)} />;
}

function TaskDetail({ task, onClose }: { task: Task; onClose(): void }) {
  const stages = useAppStore((s) => s.stagesByProject[task.projectId]);
  const projectTasks = useAppStore((s) => s.tasksByProject[task.projectId]);
  const members = useAppStore((s) => s.members);
  const updateTask = useAppStore((s) => s.updateTask);
  const moveTask = useAppStore((s) => s.moveTask);
  const deleteTask = useAppStore((s) => s.deleteTask);
  const restoreTask = useAppStore((s) => s.restoreTask);
  const canEdit = useAppStore(selectCanEdit);
  const panelRef = useRef<HTMLElement>(null);

  const save = (patch: TaskPatch) => updateTask(task.id, patch).catch(toastError);

  const knownLabels = useMemo(() => [...new Set(Object.values(projectTasks ?? {}).flatMap((t) => t.labels))].sort(), [projectTasks]);

  // Focus the panel when it opens so Esc and screen readers land here.
  useEffect(() => {
    panelRef.current?.focus();
  }, []);

  const changeStage = (stageId: string) => {
    // The select puts the task at the end of the chosen column, like Linear.
    const last = Object.values(projectTasks ?? {})
      .filter((t) => t.stageId === stageId && !t.deletedAt && t.id !== task.id)
      .sort(byOrder)
      .at(-1);
    moveTask(task.id, stageId, last?.id ?? null, null).catch(toastError);
  };

  const deleted = Boolean(task.deletedAt);

  return (
    <aside
      ref={panelRef}
      className="detail-panel"
      role="complementary"
      aria-label={`Task ${task.key}`}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
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
        {!canEdit ? null : deleted ? (
          <button type="button" className="button" onClick={() => restoreTask(task.id).then(() => toastInfo(`${task.key} restored`), toastError)}>
            Restore task
          </button>
        ) : (
          <button type="button" className="button button-danger-ghost" onClick={() => deleteTask(task.id).then(() => toastInfo(`${task.key} deleted`), toastError)}>
            Delete task
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Close task details" title="Close (Esc)" onClick={onClose}>
          ×
        </button>
      </header>
      <PresenceAvatars projectId={task.projectId} taskId={task.id} withText />
      {/* A disabled fieldset disables every control in it: a viewer reads the task, a deleted one waits for Restore. */}
      <fieldset className="detail-body" disabled={deleted || !canEdit}>
        <TitleField value={task.title} onSave={(title) => save({ title })} />
        <LongTextField label="Description" value={task.description} maxLength={100_000} placeholder={canEdit ? 'Add a description…' : 'No description'} onSave={(description) => save({ description })} />
        <div className="detail-grid">
          <StageSelect stages={stages ?? []} value={task.stageId} onChange={changeStage} />
          <PrioritySelect value={task.priority} onChange={(priority) => save({ priority })} />
          <label className="field">
            <span>Due date</span>
            <input type="date" value={task.dueDate ?? ''} onChange={(e) => save({ dueDate: e.target.value || null })} />
          </label>
          <EstimateField key={`est-${task.estimateHours}`} value={task.estimateHours} onSave={(estimateHours) => save({ estimateHours })} />
        </div>
        <fieldset className="field">
          <legend>Assignees</legend>
          <div className="assignee-options">
            {members.map((m) => {
              const checked = task.assigneeIds.includes(m.id);
              return (
                <label key={m.id} className="assignee-option">
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={() => save({ assigneeIds: checked ? task.assigneeIds.filter((id) => id !== m.id) : [...task.assigneeIds, m.id] })}
                  />
                  <span className="avatar" style={{ background: m.color, color: textColorOn(m.color) }} aria-hidden="true">
                    {m.name[0]?.toUpperCase()}
                  </span>
                  {m.name}
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="field">
          <span>Labels</span>
          <ChipInput label="Labels" values={task.labels} suggestions={knownLabels} placeholder="Add label" onChange={(labels) => save({ labels })} />
        </div>
        <p className="detail-footnote">
          Created {new Date(task.createdAt).toLocaleString()} · Updated {new Date(task.updatedAt).toLocaleString()}
        </p>
      </fieldset>
      <TaskActivity task={task} />
    </aside>
  );
}

/**
 * The title: saved on blur and Enter (an emptied one goes back). A new value from the store — a
 * teammate's edit arriving live, or a refused save rolled back — replaces the text unless it holds
 * typing not yet saved (that typing wins and is saved as usual). Short text: the last writer wins.
 */
function TitleField({ value, onSave }: { value: string; onSave(v: string): void }) {
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
    <label className="field">
      <span>Title</span>
      <input
        className="title-input"
        value={draft}
        maxLength={500}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
      />
    </label>
  );
}

function EstimateField({ value, onSave }: { value: number | null; onSave(v: number | null): void }) {
  const [draft, setDraft] = useState(value === null ? '' : String(value));
  const commit = () => {
    const next = draft.trim() === '' ? null : Number(draft);
    if (next !== null && !Number.isFinite(next)) return setDraft(value === null ? '' : String(value));
    if (next !== value) onSave(next);
  };
  return (
    <label className="field">
      <span>Estimate (hours)</span>
      <input
        type="number"
        min={0}
        step={0.5}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
      />
    </label>
  );
}
