import { useEffect, useState } from 'react';
import type { InputOf } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { FormField } from '../../components/form-field';
import { FolderField } from './folder-field';
import { FormatField } from './format-field';
import { paramErrors } from './param-errors';
import { optionalInt, type ParamsFieldsProps, type TypeForm } from './type-form';

/**
 * data.generate params: `{ fields, rows, format?, seed?, folder, fileName? }`, each field
 * `{ name, kind, …the kind's options }` (core/generated-data/field-schema.ts is the judge; this form
 * offers exactly its kinds and options). The first rows are previewed live with the core's own
 * generator (`jobs.previewParams`), so what the preview shows is what the run writes.
 */

type TextKind = 'fullName' | 'firstName' | 'lastName' | 'email' | 'company' | 'uuid' | 'city' | 'country' | 'phone' | 'url' | 'word' | 'sentence' | 'paragraph';
type Kind = TextKind | 'boolean' | 'integer' | 'number' | 'date' | 'enum' | 'sequence';
type Option = 'min' | 'max' | 'fractionDigits' | 'from' | 'to' | 'values' | 'start';

/** Each kind's label and the options it takes, in the order its inputs show. */
const kinds: Record<Kind, { label: string; options: readonly Option[] }> = {
  fullName: { label: 'Full name', options: [] },
  firstName: { label: 'First name', options: [] },
  lastName: { label: 'Last name', options: [] },
  email: { label: 'Email', options: [] },
  company: { label: 'Company', options: [] },
  uuid: { label: 'UUID', options: [] },
  city: { label: 'City', options: [] },
  country: { label: 'Country', options: [] },
  phone: { label: 'Phone number', options: [] },
  url: { label: 'Web address', options: [] },
  word: { label: 'Word', options: [] },
  sentence: { label: 'Sentence', options: [] },
  paragraph: { label: 'Paragraph', options: [] },
  boolean: { label: 'Yes/no', options: [] },
  integer: { label: 'Whole number in a range', options: ['min', 'max'] },
  number: { label: 'Decimal number in a range', options: ['min', 'max', 'fractionDigits'] },
  date: { label: 'Date in a range', options: ['from', 'to'] },
  enum: { label: 'One of a list', options: ['values'] },
  sequence: { label: 'Counter (1, 2, 3…)', options: ['start'] },
};
const optionLabels: Record<Option, string> = { min: 'Min', max: 'Max', fractionDigits: 'Decimals', from: 'From', to: 'To', values: 'Values', start: 'Start at' };

/** One field as typed: every option kept as text, so switching kinds back and forth loses nothing. */
export interface FieldDraft extends Record<Option, string> {
  /** A React key, never sent. */
  key: string;
  name: string;
  kind: Kind;
}

export interface DataGenerateDraft {
  folder: string;
  format: 'csv' | 'json' | 'ndjson' | 'parquet';
  rows: string;
  seed: string;
  fileName: string;
  fields: FieldDraft[];
}

const formats: { value: DataGenerateDraft['format']; label: string }[] = [
  { value: 'csv', label: 'CSV' },
  { value: 'json', label: 'JSON (one array)' },
  { value: 'ndjson', label: 'NDJSON (a row per line)' },
  { value: 'parquet', label: 'Parquet' },
];

let nextKey = 0;
function fieldDraft(name: string, kind: Kind, options: Partial<Record<Option, string>> = {}): FieldDraft {
  return { key: `f${nextKey++}`, name, kind, min: '', max: '', fractionDigits: '', from: '', to: '', values: '', start: '', ...options };
}

/** "12.5" → 12.5; "" → undefined; anything else → NaN. */
function optionalNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : Number.NaN;
}

/** One field's params, or its problems keyed `fields.<i>.<option>` (the core's own paths). */
function fieldParams(field: FieldDraft, i: number, errors: Record<string, string>): Record<string, unknown> {
  const at = (option: string, message: string) => (errors[`fields.${i}.${option}`] ??= message);
  const name = field.name.trim();
  if (!name) at('name', 'Give the column a name');
  const out: Record<string, unknown> = { name, kind: field.kind };
  const required = (option: 'min' | 'max', whole: boolean) => {
    const n = optionalNumber(field[option]);
    if (n === undefined || Number.isNaN(n)) at(option, `${optionLabels[option]} must be a number`);
    else if (whole && !Number.isInteger(n)) at(option, `${optionLabels[option]} must be a whole number`);
    out[option] = n;
  };
  switch (field.kind) {
    case 'integer':
    case 'number':
      required('min', field.kind === 'integer');
      required('max', field.kind === 'integer');
      if (typeof out.min === 'number' && typeof out.max === 'number' && out.min > out.max) at('max', 'Max must not be less than min');
      if (field.kind === 'number') {
        const digits = optionalInt(field.fractionDigits);
        if (Number.isNaN(digits) || (digits !== undefined && digits > 10)) at('fractionDigits', 'Decimals must be a whole number from 0 to 10');
        else if (digits !== undefined) out.fractionDigits = digits;
      }
      break;
    case 'date':
      for (const option of ['from', 'to'] as const) {
        if (!field[option].trim()) at(option, `${optionLabels[option]} must be a date (YYYY-MM-DD)`);
        out[option] = field[option].trim();
      }
      break;
    case 'enum': {
      const values = field.values
        .split(/\r?\n/)
        .map((v) => v.trim())
        .filter(Boolean);
      if (values.length === 0) at('values', 'Add at least one value, one per line');
      out.values = values;
      break;
    }
    case 'sequence': {
      const start = optionalNumber(field.start);
      if (Number.isNaN(start) || (start !== undefined && !Number.isInteger(start))) at('start', 'Start must be a whole number');
      else if (start !== undefined) out.start = start;
      break;
    }
  }
  return out;
}

interface DataGenerateParams {
  folder?: unknown;
  format?: unknown;
  rows?: unknown;
  seed?: unknown;
  fileName?: unknown;
  fields?: unknown;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join('\n') : String(value));

export const dataGenerateForm: TypeForm<DataGenerateDraft> = {
  paramKeys: ['folder', 'format', 'rows', 'seed', 'fileName', 'fields'],
  defaults: () => ({
    folder: '',
    format: 'csv',
    rows: '1000',
    seed: '1',
    fileName: '',
    fields: [
      fieldDraft('id', 'sequence', { start: '1' }),
      fieldDraft('name', 'fullName'),
      fieldDraft('email', 'email'),
      fieldDraft('plan', 'enum', { values: 'free\npro\nteam' }),
      fieldDraft('signed_up', 'date', { from: '2024-01-01', to: '2025-12-31' }),
    ],
  }),
  fromParams(raw) {
    const p = (raw ?? {}) as DataGenerateParams;
    const fields = Array.isArray(p.fields) ? (p.fields as Record<string, unknown>[]) : [];
    return {
      folder: text(p.folder),
      format: formats.some((f) => f.value === p.format) ? (p.format as DataGenerateDraft['format']) : 'csv',
      rows: text(p.rows),
      seed: text(p.seed),
      fileName: text(p.fileName),
      fields: fields.map((f) =>
        fieldDraft(text(f.name), (f.kind as Kind) in kinds ? (f.kind as Kind) : 'word', {
          min: text(f.min),
          max: text(f.max),
          fractionDigits: text(f.fractionDigits),
          from: text(f.from),
          to: text(f.to),
          values: text(f.values),
          start: text(f.start),
        }),
      ),
    };
  },
  toParams(draft) {
    const errors: Record<string, string> = {};
    if (!draft.folder.trim()) errors.folder = 'Choose the folder the file goes into';
    const rows = optionalInt(draft.rows);
    if (rows === undefined || Number.isNaN(rows) || rows < 1 || rows > 100_000_000) errors.rows = 'Rows must be a whole number from 1 to 100,000,000';
    const seed = optionalInt(draft.seed);
    if (Number.isNaN(seed) || (seed !== undefined && seed > 2 ** 32 - 1)) errors.seed = 'Seed must be a whole number from 0 to 4294967295';
    if (draft.fields.length === 0) errors.fields = 'Add at least one field';
    const fields = draft.fields.map((field, i) => fieldParams(field, i, errors));
    if (Object.keys(errors).some((key) => key.startsWith('fields.'))) errors.fields ??= 'Some fields need fixing';
    if (Object.keys(errors).length) return { errors };
    return {
      params: {
        fields,
        rows,
        format: draft.format,
        ...(seed !== undefined ? { seed } : {}),
        folder: draft.folder.trim(),
        ...(draft.fileName.trim() ? { fileName: draft.fileName.trim() } : {}),
      },
    };
  },
  Fields: DataGenerateFields,
};

type Preview = { state: 'waiting' } | { state: 'ok'; columns: string[]; rows: Record<string, unknown>[] } | { state: 'invalid'; errors: Record<string, string> } | { state: 'unavailable'; message: string };

/**
 * The first rows, asked of the core a moment after the person stops typing (only the latest answer
 * counts). The preview does not need the folder (nothing is written), so a blank one is sent as
 * "/" — absolute on every platform's rules — and problems with the folder are left to the form.
 */
function useDataPreview(draft: DataGenerateDraft): Preview {
  const [preview, setPreview] = useState<Preview>({ state: 'waiting' });
  const key = JSON.stringify({ ...draft, folder: '', fields: draft.fields.map(({ key: _key, ...f }) => f) });
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const asked = dataGenerateForm.toParams({ ...draft, folder: draft.folder.trim() || '/' });
      if ('errors' in asked) {
        setPreview({ state: 'invalid', errors: asked.errors });
        return;
      }
      api.jobs.previewParams({ type: 'data.generate', params: asked.params as InputOf<'jobs', 'previewParams'>['params'] }).then(
        (answer) => {
          if (!current) return;
          const { fields, rows } = (answer ?? {}) as { fields?: string[]; rows?: Record<string, unknown>[] };
          setPreview({ state: 'ok', columns: fields ?? [], rows: rows ?? [] });
        },
        (error: unknown) => {
          if (!current) return;
          const errors = paramErrors(error, dataGenerateForm.paramKeys);
          delete errors.folder;
          if (Object.keys(errors).length) setPreview({ state: 'invalid', errors });
          else setPreview({ state: 'unavailable', message: (error as Error).message });
        },
      );
    }, 350);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` stands for the draft minus the folder and React keys: a new folder changes no row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return preview;
}

function DataGenerateFields({ draft, onChange, errors: submitted }: ParamsFieldsProps<DataGenerateDraft>) {
  const preview = useDataPreview(draft);
  // Live problems (from the preview) beside the ones the last save got; a folder problem only on save.
  const errors = { ...(preview.state === 'invalid' ? preview.errors : {}), ...submitted };
  if (preview.state === 'invalid' && !submitted.folder) delete errors.folder;
  const setField = (i: number, next: Partial<FieldDraft>) => onChange({ ...draft, fields: draft.fields.map((f, j) => (j === i ? { ...f, ...next } : f)) });
  const listProblem = errors.fields && !Object.keys(errors).some((k) => k.startsWith('fields.')) ? errors.fields : undefined;
  return (
    <>
      <FolderField label="Output folder" dialogTitle="Folder for the generated data" value={draft.folder} onChange={(folder) => onChange({ ...draft, folder })} error={errors.folder} />
      <div className="grid-3">
        <FormatField formats={formats} value={draft.format} onChange={(format) => onChange({ ...draft, format })} error={errors.format} />
        <FormField label="Rows" error={errors.rows}>
          {(control) => <input {...control} inputMode="numeric" value={draft.rows} onChange={(e) => onChange({ ...draft, rows: e.target.value })} />}
        </FormField>
        <FormField label="Seed" hint="The same seed makes the same rows." error={errors.seed}>
          {(control) => <input {...control} inputMode="numeric" value={draft.seed} onChange={(e) => onChange({ ...draft, seed: e.target.value })} />}
        </FormField>
      </div>
      <FormField label="File name" hint="Without extension. Empty: groundwork-data-<day>." error={errors.fileName}>
        {(control) => <input {...control} spellCheck={false} maxLength={100} value={draft.fileName} onChange={(e) => onChange({ ...draft, fileName: e.target.value })} />}
      </FormField>

      <section className="data-fields" aria-label="Fields">
        <h4>Fields</h4>
        {listProblem && (
          <p className="form-error" role="alert">
            {listProblem}
          </p>
        )}
        <ol className="data-field-list">
          {draft.fields.map((field, i) => (
            <li key={field.key} className="data-field" aria-label={`Field ${i + 1}`}>
              <FormField label="Column name" error={errors[`fields.${i}.name`]}>
                {(control) => <input {...control} spellCheck={false} value={field.name} onChange={(e) => setField(i, { name: e.target.value })} />}
              </FormField>
              <FormField label="Kind" error={errors[`fields.${i}.kind`]}>
                {(control) => (
                  <select {...control} value={field.kind} onChange={(e) => setField(i, { kind: e.target.value as Kind })}>
                    {Object.entries(kinds).map(([kind, { label }]) => (
                      <option key={kind} value={kind}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
              {kinds[field.kind].options.map((option) => (
                <FormField
                  key={option}
                  label={optionLabels[option]}
                  hint={option === 'values' ? 'One per line.' : option === 'from' || option === 'to' ? 'YYYY-MM-DD' : undefined}
                  error={errors[`fields.${i}.${option}`]}
                >
                  {(control) =>
                    option === 'values' ? (
                      <textarea {...control} rows={3} value={field.values} onChange={(e) => setField(i, { values: e.target.value })} />
                    ) : (
                      <input
                        {...control}
                        inputMode={option === 'from' || option === 'to' ? undefined : 'decimal'}
                        placeholder={option === 'fractionDigits' ? '2' : option === 'start' ? '1' : undefined}
                        value={field[option]}
                        onChange={(e) => setField(i, { [option]: e.target.value })}
                      />
                    )
                  }
                </FormField>
              ))}
              <button
                type="button"
                className="icon-button data-field-remove"
                aria-label={`Remove field ${field.name || i + 1}`}
                onClick={() => onChange({ ...draft, fields: draft.fields.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="button" onClick={() => onChange({ ...draft, fields: [...draft.fields, fieldDraft(`field_${draft.fields.length + 1}`, 'word')] })}>
          Add field
        </button>
      </section>

      <section className="data-preview" aria-label="Preview" aria-live="polite">
        <h4>Preview</h4>
        {preview.state === 'ok' ? (
          <div className="table-scroll">
            <table className="execution-table" aria-label="First rows">
              <thead>
                <tr>
                  {preview.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, r) => (
                  <tr key={r}>
                    {preview.columns.map((c) => (
                      <td key={c}>{String(row[c] ?? '')}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : preview.state === 'waiting' ? (
          <p className="hint">Making the first rows…</p>
        ) : preview.state === 'unavailable' ? (
          <p className="hint">{preview.message}</p>
        ) : (
          <p className="hint">Fix the fields marked above to see the first rows.</p>
        )}
      </section>
    </>
  );
}
