import { useState, type FormEvent } from 'react';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

/** First run: nothing exists yet, so the only useful thing is to name a workspace. */
export function FirstWorkspace() {
  const createWorkspace = useAppStore((s) => s.createWorkspace);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await createWorkspace(name);
    } catch (error) {
      toastError(error);
      setBusy(false);
    }
  };

  return (
    <main className="first-run">
      <form className="first-run-card" onSubmit={submit}>
        <div className="brand-mark" aria-hidden="true">
          G
        </div>
        <h1>Welcome to Groundwork</h1>
        <p>Create your first workspace. It lives on this machine and works offline; you can sync it with a team later.</p>
        <label className="field">
          <span>Workspace name</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Acme Studio" />
        </label>
        <button type="submit" className="button button-primary" disabled={busy || !name.trim()}>
          Create workspace
        </button>
      </form>
    </main>
  );
}
