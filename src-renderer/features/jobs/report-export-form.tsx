import { FormField } from '../../components/form-field';
import { useAppStore } from '../../store/app-store';
import { FolderField } from './folder-field';
import type { TypeForm } from './type-form';

/**
 * report.export params: `{ folder, format?, projectId? }` (core/jobs/types/report-export.ts). Without
 * `projectId` the export covers the job's own project, and a job without a project the whole
 * workspace: so "the job's project" is the empty choice, and another project can be picked.
 */
export interface ReportExportDraft {
  folder: string;
  format: 'csv' | 'json' | 'xlsx';
  /** '' = the job's project (or the workspace). */
  projectId: string;
}

const formats: { value: ReportExportDraft['format']; label: string }[] = [
  { value: 'csv', label: 'CSV (a file per table)' },
  { value: 'json', label: 'JSON (a file per table)' },
  { value: 'xlsx', label: 'Excel workbook (XLSX, a sheet per table)' },
];

interface ReportExportParams {
  folder?: unknown;
  format?: unknown;
  projectId?: unknown;
}

export const reportExportForm: TypeForm<ReportExportDraft> = {
  paramKeys: ['folder', 'format', 'projectId'],
  defaults: () => ({ folder: '', format: 'csv', projectId: '' }),
  fromParams(raw) {
    const p = (raw ?? {}) as ReportExportParams;
    return {
      folder: typeof p.folder === 'string' ? p.folder : '',
      format: formats.some((f) => f.value === p.format) ? (p.format as ReportExportDraft['format']) : 'csv',
      projectId: typeof p.projectId === 'string' ? p.projectId : '',
    };
  },
  toParams(draft) {
    if (!draft.folder.trim()) return { errors: { folder: 'Choose the folder the export goes into' } };
    return { params: { folder: draft.folder.trim(), format: draft.format, ...(draft.projectId ? { projectId: draft.projectId } : {}) } };
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
        <FormField label="Format" hint="File names carry the project and the day; a second export the same day replaces the first." error={errors.format}>
          {(control) => (
            <select {...control} value={draft.format} onChange={(e) => onChange({ ...draft, format: e.target.value as ReportExportDraft['format'] })}>
              {formats.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          label="What to export"
          hint={jobProject ? 'To export the whole workspace, set the job’s Project to None.' : 'The projects and tasks of one project, or of all of them.'}
          error={errors.projectId}
        >
          {(control) => (
            <select {...control} value={draft.projectId} onChange={(e) => onChange({ ...draft, projectId: e.target.value })}>
              <option value="">{jobProject ? `This job’s project (${jobProject.name})` : 'The whole workspace'}</option>
              {projects
                .filter((p) => p.id !== jobProjectId && (!p.archivedAt || p.id === draft.projectId))
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
