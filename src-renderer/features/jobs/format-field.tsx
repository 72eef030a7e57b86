import type { ReactNode } from 'react';
import { FormField } from '../../components/form-field';

/** The output format of a job that writes a file (an export, generated data): one labelled select. */
export function FormatField<F extends string>({
  formats,
  value,
  onChange,
  error,
  hint,
}: {
  formats: readonly { value: F; label: string }[];
  value: F;
  onChange(format: F): void;
  error?: string;
  hint?: ReactNode;
}) {
  return (
    <FormField label="Format" hint={hint} error={error}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value as F)}>
          {formats.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
