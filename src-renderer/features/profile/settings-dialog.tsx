import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { errorsOrToast } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import type { SettingsTab } from '../../store/ui-slice';
import { BackupsPanel, createBackupJob } from '../backups/backups-panel';
import { GithubSettings } from '../github/github-settings';
import { VercelSettings } from '../vercel/vercel-settings';
import { TeamSyncSettings } from '../sync/team-sync-settings';
import { WebhooksSettings } from '../webhooks/webhooks-settings';
import { chooseTheme, themeChoices, themeLabels, useTheme } from './theme';

const tabs: { id: SettingsTab; label: string }[] = [
  { id: 'profile', label: 'Profile' },
  { id: 'team-sync', label: 'Team sync' },
  { id: 'github', label: 'GitHub' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'vercel', label: 'Vercel' },
  { id: 'backups', label: 'Backups' },
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
    <Dialog title="Settings" onClose={onClose} wide={tab !== 'profile'}>
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
        {tab === 'profile' ? (
          <ProfileSettings onClose={onClose} />
        ) : tab === 'team-sync' ? (
          <TeamSyncSettings onClose={onClose} />
        ) : tab === 'github' ? (
          <GithubSettings />
        ) : tab === 'webhooks' ? (
          <WebhooksSettings />
        ) : tab === 'vercel' ? (
          <VercelSettings />
        ) : (
          <BackupSettings />
        )}
      </div>
    </Dialog>
  );
}

function ProfileSettings({ onClose }: { onClose(): void }) {
  const profile = useAppStore((s) => s.profile);
  const updateProfile = useAppStore((s) => s.updateProfile);
  const [displayName, setDisplayName] = useState(profile?.displayName ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const theme = useTheme((s) => s.choice);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await updateProfile(displayName);
      toastInfo('Profile saved');
      onClose();
    } catch (error) {
      setErrors(errorsOrToast(error));
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      <FormField label="Display name" error={errors.displayName} hint="Shown on tasks assigned to you, on this machine and to your team.">
        {(control) => <input {...control} autoFocus maxLength={80} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </FormField>
      {/* Applied at once and remembered on this machine; Save is for the name. */}
      <fieldset className="field theme-choice">
        <legend>Theme</legend>
        <div className="theme-options">
          {themeChoices.map((choice) => (
            <label key={choice} className="radio-option">
              <input type="radio" name="theme" value={choice} checked={theme === choice} onChange={() => chooseTheme(choice).catch(toastError)} />
              {themeLabels[choice]}
            </label>
          ))}
        </div>
      </fieldset>
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

/** Every backup of this machine's data the workspace's backup jobs wrote, and the safety backups. */
function BackupSettings() {
  const workspaceId = useAppStore((s) => s.currentWorkspaceId);
  if (!workspaceId) return null;
  return (
    <div className="stack">
      <p className="hint">Copies of this machine’s data, written by backup jobs on their schedule. Restoring one restarts Groundwork.</p>
      <BackupsPanel workspaceId={workspaceId} onCreateJob={createBackupJob} />
    </div>
  );
}
