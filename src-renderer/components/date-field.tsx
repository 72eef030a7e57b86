import { useEffect, useRef, useState, type ReactNode } from 'react';
import { calendarDay } from '../../src-main/contract';
import { checkField } from './field-errors';
import { FormField } from './form-field';

interface DateFieldProps {
  label: string;
  /** The contract's field name (dueDate, startDate, endDate): names the plain message. */
  field: string;
  /** YYYY-MM-DD, or null for none. */
  value: string | null;
  /** Gets a complete, valid day (or null when the field was cleared), once per change. */
  onCommit(value: string | null): void;
  /** Whether the field now holds typing it refused (a half-typed date): a form must not submit past it. */
  onProblem?(message: string | null): void;
  /** An error from elsewhere (the core refused the saved value). */
  error?: string;
  hint?: ReactNode;
}

const earliest = '1900-01-01';
const latest = '2999-12-31';

/**
 * Every date field of the app. A native date input reports each keystroke as a date — typing
 * 07/15/2025 passes 0002-07-15, 0020-07-15, 0202-07-15 on the way — so saving on change would
 * send each as a synced edit (the card briefly overdue). This one commits only a complete valid
 * day, on blur or Enter; a half-typed or out-of-range date is refused with a message beside the
 * field and kept on screen to fix, never silently dropped.
 */
export function DateField({ label, field, value, onCommit, onProblem, error, hint }: DateFieldProps) {
  const [draft, setDraft] = useState(value ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  // A new value from the store (a teammate, a rollback) replaces the draft unless it holds typing.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (draft === (shown ?? '')) setDraft(value ?? '');
  }
  // The day handed to onCommit and not seen back yet: Enter, then focus moving on (blur), must not
  // save it twice while the first save is under way. Cleared when the value comes back or the save
  // is refused (a person may then try the same day again).
  const pending = useRef<{ day: string | null } | null>(null);
  useEffect(() => {
    pending.current = null;
  }, [value, error]);
  const report = (message: string | null) => {
    setProblem(message);
    onProblem?.(message);
  };
  const commit = (input: HTMLInputElement) => {
    // badInput: some of month/day/year typed, not all: the input's value is then "".
    if (input.validity.badInput) return report(`${label} is not a full date: finish it or clear it`);
    const next = input.value || null;
    const message = next === null ? null : checkField(field, calendarDay, next);
    report(message);
    if (message || next === value || (pending.current && pending.current.day === next)) return;
    pending.current = { day: next };
    onCommit(next);
  };
  return (
    <FormField label={label} error={problem ?? error} hint={hint}>
      {(control) => (
        <input
          {...control}
          type="date"
          min={earliest}
          max={latest}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={(e) => commit(e.currentTarget)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault(); // in a form, Enter commits the date, it does not submit
            commit(e.currentTarget);
          }}
        />
      )}
    </FormField>
  );
}
