import { useState, type FormEvent } from 'react';
import type { Priority, Stage } from '../../../src-main/contract';
import { Dialog } from '../../components/dialog';
import { fieldErrors } from '../../components/field-errors';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { PrioritySelect, StageSelect } from './task-selects';

const EMPTY_STAGES: Stage[] = [];

export function NewTaskDialog({ projectId, onClose }: { projectId: string; onClose(): void }) {
  const stages = useAppStore((s) => s.stagesByProject[projectId] ?? EMPTY_STAGES);
  const createTask = useAppStore((s) => s.createTask);
  const openTask = useAppStore((s) => s.openTask);
  const [title, setTitle] = useState('');
  // New work usually starts in the first non-backlog column ("Todo") when there is one.
  const [stageId, setStageId] = useState(() => (stages.find((s) => s.name === 'Todo') ?? stages[0])?.id ?? '');
  const [priority, setPriority] = useState<Priority>('normal');
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const task = await createTask({ projectId, title, priority, ...(stageId ? { stageId } : {}) });
      onClose();
      openTask(task.id);
    } catch (e) {
      // Only the title is a field here; anything else (a stage removed meanwhile) is a toast.
      const byField = fieldErrors(e);
      if (byField.title) setError(byField.title);
      else toastError(e);
    }
  };

  return (
    <Dialog title="New task" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Title</span>
          <input autoFocus value={title} maxLength={500} aria-invalid={Boolean(error)} onChange={(e) => setTitle(e.target.value)} />
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </label>
        <div className="grid-2">
          <StageSelect stages={stages} value={stageId} onChange={setStageId} />
          <PrioritySelect value={priority} onChange={setPriority} />
        </div>
        <div className="row-end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!title.trim()}>
            Create task
          </button>
        </div>
      </form>
    </Dialog>
  );
}
