import { useState } from 'react';
import { FormField } from '../../components/form-field';
import { useAppStore } from '../../store/app-store';

/**
 * The name teammates see, asked where a person starts (first run, joining). Prefilled with the
 * profile's name — until they set one, the core's guess: this computer's account name.
 */
export function useDisplayNameDraft() {
  const profileName = useAppStore((s) => s.profile?.displayName ?? '');
  const updateProfile = useAppStore((s) => s.updateProfile);
  const [edited, setEdited] = useState<string | null>(null);
  const value = edited ?? profileName;
  return {
    value,
    onChange: setEdited,
    /** Saves the name if it changed (before creating or joining, so the new member carries it). */
    async save() {
      const name = value.trim();
      if (name && name !== profileName) await updateProfile(name);
    },
  };
}

export function DisplayNameField({ value, onChange, error }: { value: string; onChange(value: string): void; error?: string }) {
  return (
    <FormField label="Your name" error={error} hint="How your teammates see you; change it any time in Settings → Profile.">
      {(control) => <input {...control} value={value} maxLength={80} autoComplete="name" onChange={(e) => onChange(e.target.value)} />}
    </FormField>
  );
}
