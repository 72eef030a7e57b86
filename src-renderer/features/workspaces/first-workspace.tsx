import { useState, type FormEvent } from 'react';
import { errorsOrToast } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { useAppStore } from '../../store/app-store';
import { DisplayNameField, useDisplayNameDraft } from '../profile/display-name-field';
import { JoinForm } from '../sync/team-sync-settings';

/** First run: nothing exists yet, so the only useful thing is to name a workspace. */
export function FirstWorkspace() {
  const createWorkspace = useAppStore((s) => s.createWorkspace);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const displayName = useDisplayNameDraft();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // An invite link opened from outside (groundwork://join…) shows the Join form straight away.
  const invitePending = useAppStore((s) => s.invitePrefill !== null);
  const [joiningByChoice, setJoining] = useState(false);
  const joining = joiningByChoice || invitePending;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      // The name first: a workspace is never created by someone the app cannot name.
      await displayName.save();
      await createWorkspace(name);
    } catch (error) {
      setErrors(errorsOrToast(error));
      setBusy(false);
    }
  };

  return (
    <main className="first-run">
      <div className="first-run-card">
        <form className="stack" onSubmit={submit}>
          <div className="brand-mark" aria-hidden="true">
            G
          </div>
          <h1>Welcome to Groundwork</h1>
          <p>Create your first workspace. It lives on this machine and works offline; you can sync it with a team later.</p>
          <FormField label="Workspace name" error={errors.name}>
            {(control) => <input {...control} autoFocus maxLength={120} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Acme Studio" />}
          </FormField>
          {!joining && <DisplayNameField value={displayName.value} onChange={displayName.onChange} error={errors.displayName} />}
          <button type="submit" className="button button-primary" disabled={busy || !name.trim() || !displayName.value.trim()}>
            Create workspace
          </button>
        </form>
        <div className="first-run-join">
          {joining ? (
            <JoinForm heading="Join a teammate’s workspace" onJoined={() => undefined} />
          ) : (
            <button type="button" className="button button-ghost" onClick={() => setJoining(true)}>
              Have an invite? Join a workspace
            </button>
          )}
        </div>
      </div>
    </main>
  );
}
