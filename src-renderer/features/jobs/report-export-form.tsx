import { FormField } from '../../components/form-field';
import { useAppStore } from '../../store/app-store';
import { FolderField } from './folder-field';
import { FormatField } from './format-field';
import type { TypeForm } from './type-form';

/**
 * report.export params: `{ folder, format?, scope?, projectId? }` (core/jobs/types/report-export.ts).
 * One choice, "What to export", sets scope and project: the job's project (no scope: it follows
 * the job's Project, and a job without one exports the workspace), the whole workspace
 * (`scope: 'workspace'`, also from a project's job), or one other project.
 */
export interface ReportExportDraft {
  folder: string;
  format: 'csv' | 'json' | 'xlsx';
  /** '' = the job's project (or the workspace); 'workspace'; or a project id. */
  target: string;
}

const WORKSPACE = 'workspace';

const formats: { value: ReportExportDraft['format']; label: string }[] = [
  { value: 'csv', label: 'CSV (a file per table)' },
  { value: 'json', label: 'JSON (a file per table)' },
  { value: 'xlsx', label: 'Excel workbook (XLSX, a sheet per table)' },
];

interface ReportExportParams {
  folder?: unknown;
  format?: unknown;
  scope?: unknown;
  projectId?: unknown;
}

export const reportExportForm: TypeForm<ReportExportDraft> = {
  paramKeys: ['folder', 'format', 'scope', 'projectId'],
  defaults: () => ({ folder: '', format: 'csv', target: '' }),
  fromParams(raw) {
    const p = (raw ?? {}) as ReportExportParams;
    return {
      folder: typeof p.folder === 'string' ? p.folder : '',
      format: formats.some((f) => f.value === p.format) ? (p.format as ReportExportDraft['format']) : 'csv',
      target: p.scope === WORKSPACE ? WORKSPACE : typeof p.projectId === 'string' ? p.projectId : '',
    };
  },
  toParams(draft) {
    if (!draft.folder.trim()) return { errors: { folder: 'Choose the folder the export goes into' } };
    const what = draft.target === WORKSPACE ? { scope: WORKSPACE } : draft.target ? { scope: 'project', projectId: draft.target } : {};
    return { params: { folder: draft.folder.trim(), format: draft.format, ...what } };
  },
  Fields: ReportExportFields,
};

function ReportExportFields({ draft, onChange, errors, jobProjectId }: Parameters<TypeForm<ReportExportDraft>['Fields']>[0]) {
  const projects = useAppStore((s) => s.projects);
  const jobProject = projects.find((p) => p.id === jobProjectId);
  return (
    <>
      <FolderField label="Export folder" dialogTitle="Folder for the export" value={draft.folder} onChange={(folder) => onChange({ ...draft, folder })} error={errors.folder} />
      <div className="grid-2">
        <FormatField
          formats={formats}
          value={draft.format}
          onChange={(format) => onChange({ ...draft, format })}
          hint="File names carry the project and the day; a second export the same day replaces the first."
          error={errors.format}
        />
        <FormField label="What to export" hint="The projects and tasks of one project, or of all of them." error={errors.scope ?? errors.projectId}>
          {(control) => (
            // Without a job project, the empty choice IS the whole workspace: shown as that one option.
            <select {...control} value={!jobProject && draft.target === '' ? WORKSPACE : draft.target} onChange={(e) => onChange({ ...draft, target: e.target.value })}>
              {jobProject && <option value="">This job’s project ({jobProject.name})</option>}
              <option value={WORKSPACE}>The whole workspace</option>
              {projects
                .filter((p) => p.id !== jobProjectId && (!p.archivedAt || p.id === draft.target))
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    Only {p.name}
                  </option>
                ))}
            </select>
          )}
        </FormField>
      </div>
    </>
  );
}
