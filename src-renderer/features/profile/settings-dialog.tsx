import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import type { SettingsTab } from '../../store/ui-slice';
import { TeamSyncSettings } from '../sync/team-sync-settings';

const tabs: { id: SettingsTab; label: string }[] = [
  { id: 'profile', label: 'Profile' },
  { id: 'team-sync', label: 'Team sync' },
];

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const tab = useAppStore((s) => s.settingsTab);
  const setTab = useAppStore((s) => s.setSettingsTab);
  const baseId = useId();
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    setTab(next.id);
    tabRefs.current[next.id]?.focus();
  };

  return (
    <Dialog title="Settings" onClose={onClose} wide={tab === 'team-sync'}>
      <div className="settings-tabs view-tabs" role="tablist" aria-label="Settings sections">
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-${t.id}-tab`}
            aria-controls={`${baseId}-${t.id}-panel`}
            aria-selected={tab === t.id}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={onTabKeyDown}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-${tab}-panel`} aria-labelledby={`${baseId}-${tab}-tab`} className="settings-panel">
        {tab === 'profile' ? <ProfileSettings onClose={onClose} /> : <TeamSyncSettings onClose={onClose} />}
      </div>
    </Dialog>
  );
}

function ProfileSettings({ onClose }: { onClose(): void }) {
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
  );
}
