/**
 * The single-key pickers on a focused or open task (s status, p priority, a assignees, l labels,
 * d due date): a small dialog holding a filter box over a listbox, operated from the keyboard.
 * Single choices apply and close; several (assignees, labels) toggle and stay until Esc.
 */
import { create } from 'zustand';
import { priorities, type Member, type Stage, type Task } from '../../../src-main/contract';
import { Avatar } from '../../components/avatar';
import { Dialog } from '../../components/dialog';
import { formatDay, priorityLabels, todayDay } from '../../components/format';
import { OptionList, type Option } from '../../components/option-list';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { findTask, type TaskPatch } from '../../store/board-slice';
import { PriorityIcon } from '../board/task-card';
import { focusTask } from '../shortcuts/task-navigation';
import { moveTaskToStage } from './task-actions';
import { useProjectLabels } from './use-project-labels';

export type QuickEditField = 'status' | 'priority' | 'assignees' | 'labels' | 'dueDate';

interface QuickEditState {
  editing: { taskId: string; field: QuickEditField } | null;
  open(taskId: string, field: QuickEditField): void;
  close(): void;
}

export const useQuickEdit = create<QuickEditState>()((set) => ({
  editing: null,
  open: (taskId, field) => set({ editing: { taskId, field } }),
  close: () => set({ editing: null }),
}));

const titles: Record<QuickEditField, string> = { status: 'Status', priority: 'Priority', assignees: 'Assignees', labels: 'Labels', dueDate: 'Due date' };
const EMPTY_STAGES: Stage[] = [];

export function TaskQuickEdit() {
  const editing = useQuickEdit((s) => s.editing);
  const task = useAppStore((s) => findTask(s, editing?.taskId ?? null));
  if (!editing || !task) return null;
  return <QuickEditDialog key={`${task.id}-${editing.field}`} task={task} field={editing.field} />;
}

function QuickEditDialog({ task, field }: { task: Task; field: QuickEditField }) {
  const stages = useAppStore((s) => s.stagesByProject[task.projectId] ?? EMPTY_STAGES);
  const members = useAppStore((s) => s.members);
  const updateTask = useAppStore((s) => s.updateTask);
  const labels = useProjectLabels(task.projectId);

  const close = () => {
    useQuickEdit.getState().close();
    // The dialog gives focus back to the card it was opened on; a card that moved columns is a new element.
    requestAnimationFrame(() => {
      if (document.activeElement === document.body) focusTask(task.id);
    });
  };
  const save = (patch: TaskPatch) => updateTask(task.id, patch).catch(toastError);
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  let list;
  switch (field) {
    case 'status':
      list = (
        <OptionList
          label="Status"
          options={stages.map((s) => ({ value: s.id, label: s.name }))}
          selected={[task.stageId]}
          onPick={(stageId) => {
            if (stageId !== task.stageId) moveTaskToStage(task, stageId).catch(toastError);
            close();
          }}
        />
      );
      break;
    case 'priority':
      list = (
        <OptionList
          label="Priority"
          options={[...priorities].reverse().map((p) => ({ value: p, label: priorityLabels[p], icon: <PriorityIcon priority={p} /> }))}
          selected={[task.priority]}
          onPick={(priority) => {
            save({ priority: priority as Task['priority'] });
            close();
          }}
        />
      );
      break;
    case 'assignees':
      list = (
        <OptionList
          label="Assignees"
          multiple
          options={members.map((m: Member) => ({ value: m.id, label: m.name, icon: <Avatar member={m} size={18} /> }))}
          selected={task.assigneeIds}
          onPick={(id) => save({ assigneeIds: toggle(task.assigneeIds, id) })}
        />
      );
      break;
    case 'labels':
      list = (
        <OptionList
          label="Labels"
          multiple
          options={[...new Set([...labels, ...task.labels])].sort().map((l) => ({ value: l, label: l }))}
          selected={task.labels}
          createOption={(text): Option => ({ value: text, label: `Create label “${text}”` })}
          onPick={(label) => save({ labels: toggle(task.labels, label) })}
        />
      );
      break;
    case 'dueDate':
      list = (
        <OptionList
          label="Due date"
          options={dueDateOptions(task.dueDate)}
          selected={[task.dueDate ?? '']}
          createOption={(text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? { value: text, label: formatDay(text) } : null)}
          onPick={(day) => {
            save({ dueDate: day || null });
            close();
          }}
        />
      );
      break;
  }

  return (
    <Dialog title={`${titles[field]} of ${task.key}`} onClose={close}>
      <div className="quick-edit">{list}</div>
      {field === 'dueDate' && <p className="hint">Or type a date as YYYY-MM-DD.</p>}
    </Dialog>
  );
}

/** Today, tomorrow, in a week, no due date — and the current one, if it is none of those. */
function dueDateOptions(current: string | null): Option[] {
  const options: Option[] = [
    { value: todayDay(0), label: 'Today' },
    { value: todayDay(1), label: 'Tomorrow' },
    { value: todayDay(7), label: 'In a week' },
    { value: '', label: 'No due date' },
  ];
  if (current && !options.some((o) => o.value === current)) options.unshift({ value: current, label: formatDay(current) });
  return options;
}
