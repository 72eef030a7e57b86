/** What a job type's params form is (job-type-forms.tsx picks one per type). */
import type { ReactNode } from 'react';

export interface ParamsFieldsProps<D> {
  draft: D;
  onChange(draft: D): void;
  /** Problems by param (`urls`, `crawl`, …), or `_params` for the whole. */
  errors: Record<string, string>;
  /** The project chosen for the job in the dialog (null: none), for params that default to it. */
  jobProjectId: string | null;
}

/** A form for one type's params: the draft is what the fields hold (text as typed), params what is sent. */
export interface TypeForm<D> {
  /** The params it has fields for; the core's problems with any other param show above the form. */
  paramKeys: readonly string[];
  defaults(): D;
  fromParams(params: unknown): D;
  /** The params to send, or the problems by param that keep the form from sending. */
  toParams(draft: D): { params: unknown } | { errors: Record<string, string> };
  Fields(props: ParamsFieldsProps<D>): ReactNode;
}

/** "12" → 12; "" → undefined; anything else → NaN (the form says so by the field). */
export function optionalInt(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}
