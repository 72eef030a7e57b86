import { useState } from 'react';
import { api } from '../../api/connection';
import { FormField } from '../../components/form-field';
import { toastError } from '../../components/toasts';

/** Only the desktop app has a folder dialog; the web host answers null, so there the path is typed. */
const hasFolderDialog = typeof window !== 'undefined' && window.groundwork?.isDesktop === true;

/**
 * The folder a job writes into: a path field that is always editable (a folder on a share can be
 * typed or pasted), and on the desktop a "Choose…" button that fills it from the system's folder
 * dialog (`files.chooseFolder`, forwarded to the main process). The core checks the folder when the
 * job runs, so a typed path is never trusted more than a chosen one.
 */
export function FolderField({ label, value, onChange, error, dialogTitle }: { label: string; value: string; onChange(path: string): void; error?: string; dialogTitle: string }) {
  const [asking, setAsking] = useState(false);
  const choose = async () => {
    setAsking(true);
    try {
      const { path } = await api.files.chooseFolder({ title: dialogTitle });
      if (path) onChange(path); // null: cancelled, the typed path stays
    } catch (e) {
      toastError(e);
    } finally {
      setAsking(false);
    }
  };
  return (
    <FormField
      label={label}
      error={error}
      hint={hasFolderDialog ? 'Choose it, or type its full path.' : 'The full path of a folder on the computer running Groundwork, e.g. /home/ana/Reports or C:\\Reports.'}
    >
      {(control) => (
        <div className="folder-input">
          <input {...control} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} />
          {hasFolderDialog && (
            <button type="button" className="button" onClick={() => void choose()} disabled={asking}>
              Choose…
            </button>
          )}
        </div>
      )}
    </FormField>
  );
}
