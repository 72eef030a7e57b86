import { FormField } from '../../components/form-field';
import { FolderField } from './folder-field';
import { optionalInt, type TypeForm } from './type-form';

/** backup params: `{ folder, keep? }` (core/jobs/types/backup.ts; keep 1–1000, default 10). */
export interface BackupDraft {
  folder: string;
  keep: string;
}

export const backupForm: TypeForm<BackupDraft> = {
  paramKeys: ['folder', 'keep'],
  defaults: () => ({ folder: '', keep: '10' }),
  fromParams(raw) {
    const p = (raw ?? {}) as { folder?: unknown; keep?: unknown };
    return { folder: typeof p.folder === 'string' ? p.folder : '', keep: p.keep != null ? String(p.keep) : '' };
  },
  toParams(draft) {
    const errors: Record<string, string> = {};
    if (!draft.folder.trim()) errors.folder = 'Choose the folder the backups go into';
    const keep = optionalInt(draft.keep);
    if (Number.isNaN(keep) || (keep !== undefined && (keep < 1 || keep > 1000))) errors.keep = 'Keep must be a whole number from 1 to 1000';
    if (Object.keys(errors).length) return { errors };
    return { params: { folder: draft.folder.trim(), ...(keep !== undefined ? { keep } : {}) } };
  },
  Fields: ({ draft, onChange, errors }) => (
    <div className="grid-2 grid-wide-first">
      <FolderField label="Backup folder" dialogTitle="Folder for backups" value={draft.folder} onChange={(folder) => onChange({ ...draft, folder })} error={errors.folder} />
      <FormField label="Keep the newest" hint="Backups in this folder; older ones are removed after a backup succeeds. Empty: 10." error={errors.keep}>
        {(control) => <input {...control} inputMode="numeric" value={draft.keep} onChange={(e) => onChange({ ...draft, keep: e.target.value })} />}
      </FormField>
    </div>
  ),
};
