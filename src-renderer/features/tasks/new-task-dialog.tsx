import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Priority, Stage } from '../../../src-main/contract';
import { ChipInput } from '../../components/chip-input';
import { Dialog } from '../../components/dialog';
import { fieldErrors } from '../../components/field-errors';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { AssigneeCheckboxes, PrioritySelect, StageSelect } from './task-selects';
import { useProjectLabels } from './use-project-labels';

const EMPTY_STAGES: Stage[] = [];

/** What the next task starts with: its text fields empty. */
const blank = { title: '', description: '', dueDate: '', estimate: '' };

/**
 * Every field of a task from the keyboard: the title has focus, Enter creates (⌘/Ctrl+Enter also
 * from the description), Esc cancels. "Create more" keeps the dialog open for the next task,
 * its text cleared and its stage, priority, assignees and labels kept (a batch usually shares
 * them), focus back in the title.
 */
export function NewTaskDialog({ projectId, onClose }: { projectId: string; onClose(): void }) {
  const stages = useAppStore((s) => s.stagesByProject[projectId] ?? EMPTY_STAGES);
  const members = useAppStore((s) => s.members);
  const createTask = useAppStore((s) => s.createTask);
  const openTask = useAppStore((s) => s.openTask);
  const knownLabels = useProjectLabels(projectId);
  const [text, setText] = useState(blank);
  // New work usually starts in "Todo" when there is one. Until the person picks a stage, the
  // default follows the stages as they load (the dialog may open before they arrive).
  const [chosenStageId, setStageId] = useState('');
  const stageId = chosenStageId || ((stages.find((s) => s.name === 'Todo') ?? stages[0])?.id ?? '');
  const [priority, setPriority] = useState<Priority>('normal');
  const [assigneeIds, setAssigneeIds] = useState<string[]>([]);
  const [labels, setLabels] = useState<string[]>([]);
  const [createMore, setCreateMore] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const titleRef = useRef<HTMLInputElement>(null);
  const edit = (field: keyof typeof blank) => (e: { target: { value: string } }) => setText((t) => ({ ...t, [field]: e.target.value }));

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.title.trim()) return;
    try {
      const task = await createTask({
        projectId,
        title: text.title,
        description: text.description,
        priority,
        assigneeIds,
        labels,
        dueDate: text.dueDate || null,
        estimateHours: text.estimate.trim() === '' ? null : Number(text.estimate),
        ...(stageId ? { stageId } : {}),
      });
      setErrors({});
      if (createMore) {
        toastInfo(`${task.key} created`);
        setText(blank);
        titleRef.current?.focus();
      } else {
        onClose();
        openTask(task.id);
      }
    } catch (e) {
      // Only the title is a field here; anything else (a stage removed meanwhile) is a toast.
      const byField = fieldErrors(e);
      if (Object.keys(byField).some((field) => field in fieldNames)) setErrors(byField);
      else toastError(e);
    }
  };

  // ⌘/Ctrl+Enter creates from any field, the description included (where Enter is a new line).
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void submit();
    }
  };

  const error = (field: keyof typeof fieldNames) =>
    errors[field] ? (
      <span className="field-error" role="alert">
        {errors[field]}
      </span>
    ) : null;

  return (
    <Dialog title="New task" onClose={onClose}>
      <form onSubmit={submit} onKeyDown={onKeyDown} className="stack new-task-form">
        <label className="field">
          <span>Title</span>
          <input ref={titleRef} value={text.title} maxLength={500} aria-invalid={Boolean(errors.title)} onChange={edit('title')} />
          {error('title')}
        </label>
        <label className="field">
          <span>Description</span>
          <textarea rows={3} value={text.description} maxLength={100_000} placeholder="Add a description…" onChange={edit('description')} />
          {error('description')}
        </label>
        <div className="grid-2">
          <StageSelect stages={stages} value={stageId} onChange={setStageId} />
          <PrioritySelect value={priority} onChange={setPriority} />
          <label className="field">
            <span>Due date</span>
            <input type="date" value={text.dueDate} aria-invalid={Boolean(errors.dueDate)} onChange={edit('dueDate')} />
            {error('dueDate')}
          </label>
          <label className="field">
            <span>Estimate (hours)</span>
            <input type="number" min={0} step={0.5} value={text.estimate} aria-invalid={Boolean(errors.estimateHours)} onChange={edit('estimate')} />
            {error('estimateHours')}
          </label>
        </div>
        <AssigneeCheckboxes members={members} value={assigneeIds} onChange={setAssigneeIds} />
        <div className="field">
          <span>Labels</span>
          <ChipInput label="Labels" values={labels} suggestions={knownLabels} placeholder="Add label, then Enter" onChange={setLabels} />
          {error('labels')}
        </div>
        <div className="row-end">
          <label className="checkbox-row create-more">
            <input type="checkbox" checked={createMore} onChange={(e) => setCreateMore(e.target.checked)} />
            <span>Create more</span>
          </label>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!text.title.trim()}>
            Create task
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The fields whose errors this form shows beside them; anything else is a toast. */
const fieldNames = { title: true, description: true, dueDate: true, estimateHours: true, labels: true };
