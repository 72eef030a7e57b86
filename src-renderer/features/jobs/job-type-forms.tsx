/**
 * The params part of the job dialog, per type. A type this build knows gets its own form
 * (site.audit, http.check, report.export, backup, data.generate); any other — a type a newer teammate's build registered, or one added
 * later — gets the params as JSON, which the core checks with the type's schema.
 */
import { FormField } from '../../components/form-field';
import { backupForm } from './backup-form';
import { dataGenerateForm } from './data-generate-form';
import { httpCheckForm } from './http-check-form';
import { reportExportForm } from './report-export-form';
import { siteAuditForm } from './site-audit-form';
import type { TypeForm } from './type-form';

const jsonForm: TypeForm<string> = {
  paramKeys: [],
  defaults: () => '{}',
  fromParams: (params) => JSON.stringify(params ?? {}, null, 2),
  toParams(draft) {
    try {
      return { params: JSON.parse(draft) as unknown };
    } catch (error) {
      return { errors: { _params: `Params must be JSON: ${(error as Error).message}` } };
    }
  },
  Fields: ({ draft, onChange }) => (
    <FormField label="Params (JSON)" hint="This job type has no form in this version of Groundwork: its params as JSON.">
      {(control) => <textarea {...control} className="code-input" rows={6} spellCheck={false} value={draft} onChange={(e) => onChange(e.target.value)} />}
    </FormField>
  ),
};

// Each form keeps its own draft type; the dialog only passes drafts back to the form that made them.
const forms: Record<string, TypeForm<unknown>> = {
  'site.audit': siteAuditForm as TypeForm<unknown>,
  'http.check': httpCheckForm as TypeForm<unknown>,
  'report.export': reportExportForm as TypeForm<unknown>,
  backup: backupForm as TypeForm<unknown>,
  'data.generate': dataGenerateForm as TypeForm<unknown>,
};

export function typeForm(type: string): TypeForm<unknown> {
  return forms[type] ?? (jsonForm as TypeForm<unknown>);
}
