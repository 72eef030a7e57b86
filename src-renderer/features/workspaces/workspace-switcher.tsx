import { type FormEvent, useRef, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { errorsOrToast } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { toastError } from '../../components/toasts';
import { useDismiss } from '../../components/use-dismiss';
import { useAppStore } from '../../store/app-store';

/** The workspace name at the top of the sidebar; opens a small menu to switch, create or rename. */
export function WorkspaceSwitcher() {
  const workspaces = useAppStore((s) => s.workspaces);
  const currentId = useAppStore((s) => s.currentWorkspaceId);
  const switchWorkspace = useAppStore((s) => s.switchWorkspace);
  const current = workspaces.find((w) => w.id === currentId);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'create' | 'rename' | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  useDismiss(open, rootRef, setOpen);

  return (
    <div className="workspace-switcher" ref={rootRef}>
      <button
        type="button"
        className="workspace-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Workspace: ${current?.name ?? 'none'}`}
        onClick={() => setOpen(!open)}
      >
        <span className="workspace-mark" aria-hidden="true" data-initials={(current?.name[0] ?? 'G').toUpperCase()} />
        <span className="workspace-name">{current?.name ?? 'Groundwork'}</span>
        <span className="chevron" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div className="popover" role="group" aria-label="Workspaces">
          <ul className="menu-list">
            {workspaces.map((w) => (
              <li key={w.id}>
                <button
                  type="button"
                  className="menu-item"
                  aria-current={w.id === currentId ? 'true' : undefined}
                  onClick={() => {
                    setOpen(false);
                    if (w.id !== currentId) switchWorkspace(w.id).catch(toastError);
                  }}
                >
                  <span className="check" aria-hidden="true">
                    {w.id === currentId ? '✓' : ''}
                  </span>
                  {w.name}
                </button>
              </li>
            ))}
          </ul>
          <div className="menu-separator" />
          <button type="button" className="menu-item" onClick={() => (setOpen(false), setDialog('rename'))}>
            Rename workspace…
          </button>
          <button type="button" className="menu-item" onClick={() => (setOpen(false), setDialog('create'))}>
            New workspace…
          </button>
        </div>
      )}
      {dialog && <WorkspaceNameDialog mode={dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}

function WorkspaceNameDialog({ mode, onClose }: { mode: 'create' | 'rename'; onClose(): void }) {
  const current = useAppStore((s) => s.workspaces.find((w) => w.id === s.currentWorkspaceId));
  const createWorkspace = useAppStore((s) => s.createWorkspace);
  const renameWorkspace = useAppStore((s) => s.renameWorkspace);
  const [name, setName] = useState(mode === 'rename' ? (current?.name ?? '') : '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      if (mode === 'create') await createWorkspace(name);
      else if (current) await renameWorkspace(current.id, name);
      onClose();
    } catch (error) {
      setErrors(errorsOrToast(error));
    }
  };

  return (
    <Dialog title={mode === 'create' ? 'New workspace' : 'Rename workspace'} onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <FormField label="Workspace name" error={errors.name}>
          {(control) => <input {...control} autoFocus maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />}
        </FormField>
        <div className="row-end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!name.trim()}>
            {mode === 'create' ? 'Create workspace' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
