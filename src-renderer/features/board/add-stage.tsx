import { useState, type FormEvent } from 'react';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

export function AddStage({ projectId }: { projectId: string }) {
  const createStage = useAppStore((s) => s.createStage);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');

  if (!open) {
    return (
      <button type="button" className="add-stage" onClick={() => setOpen(true)}>
        + Add stage
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    try {
      await createStage(projectId, name);
      setName('');
      setOpen(false);
    } catch (error) {
      toastError(error);
    }
  };
  return (
    <form className="add-stage-form" onSubmit={submit}>
      <input
        autoFocus
        aria-label="New stage name"
        maxLength={60}
        placeholder="Stage name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}
        onBlur={() => !name.trim() && setOpen(false)}
      />
    </form>
  );
}
