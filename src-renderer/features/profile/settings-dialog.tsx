import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const profile = useAppStore((s) => s.profile);
  const updateProfile = useAppStore((s) => s.updateProfile);
  const [displayName, setDisplayName] = useState(profile?.displayName ?? '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await updateProfile(displayName);
      toastInfo('Profile saved');
      onClose();
    } catch (error) {
      toastError(error);
    }
  };

  return (
    <Dialog title="Settings" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Display name</span>
          <input autoFocus value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          <small className="hint">Shown on tasks assigned to you, on this machine and to your team.</small>
        </label>
        <p className="hint">Theme follows your system’s light or dark setting.</p>
        <div className="row-end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
