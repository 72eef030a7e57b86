import { useId, type ReactNode } from 'react';
import { asSentence } from './field-errors';

export interface FieldControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

interface FormFieldProps {
  label: string;
  hint?: ReactNode;
  /** The core's message for this field (from fieldErrors); shown under it and announced. */
  error?: string;
  children(control: FieldControlProps): ReactNode;
}

/**
 * A labelled control with an optional hint and error. The error sits outside the <label>, so it
 * is the control's description, not part of its name ("Invite link", not "Invite link Must be…").
 */
export function FormField({ label, hint, error, children }: FormFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {asSentence(error)}
        </span>
      )}
    </div>
  );
}
