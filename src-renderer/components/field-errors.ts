import type { z } from 'zod';
import { isApiError } from '../../src-main/contract';
import { toastError } from './toasts';

/**
 * What a form shows beside a field, in plain words. The core's VALIDATION messages stay written
 * for tools ("Invalid input to tasks.update: estimateHours: Too small: expected number to be
 * >=0"); this is the one place that turns a (field, issue) into what a person reads ("Estimate
 * can't be negative"), for the core's errors and for a form's own check with the contract's
 * schema alike. Every form goes through it.
 */

/** How people call the contract's fields. A field not listed keeps the core's wording. */
const fieldLabels: Record<string, string> = {
  name: 'Name',
  key: 'Key',
  title: 'Title',
  description: 'Description',
  notes: 'Notes',
  clientName: 'Client',
  startDate: 'Start date',
  endDate: 'End date',
  dueDate: 'Due date',
  estimateHours: 'Estimate',
  deliverables: 'Deliverables',
  tags: 'Tags',
  labels: 'Labels',
  color: 'Colour',
  displayName: 'Name',
};

/** One problem with a field: a zod issue of the form's own check, or the core's echo of one (path and message only). */
export interface FieldIssue {
  code?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  /** Of an invalid_format issue: 'date', 'regex', … */
  format?: string;
  message: string;
}

/** zod's default wording, as the core echoes it: "Too small: expected number to be >=0", "Too big: expected string to have <=500 characters". */
const sizeMessage = /^Too (small|big): expected (\w+) to (?:be|have) [<>]=?(-?[\d.]+)/;

/** The same issue with its code and bound recovered from zod's wording when only the message came across the wire. */
function withBounds(issue: FieldIssue): FieldIssue {
  if (issue.code) return issue;
  const match = sizeMessage.exec(issue.message);
  if (!match) return issue;
  const bound = Number(match[3]);
  return match[1] === 'small'
    ? { ...issue, code: 'too_small', origin: match[2], minimum: bound }
    : { ...issue, code: 'too_big', origin: match[2], maximum: bound };
}

/** A field's issue in plain words: "Estimate can't be negative", "Title is at most 500 characters". */
export function plainMessage(field: string, raw: FieldIssue): string {
  const label = fieldLabels[field];
  const issue = withBounds(raw);
  if (!label) return asSentence(issue.message);
  const min = Number(issue.minimum);
  const max = Number(issue.maximum);
  const noun = label.toLowerCase();
  if (issue.code === 'too_small') {
    if (issue.origin === 'number') return min === 0 ? `${label} can't be negative` : `${label} must be at least ${min}`;
    if (issue.origin === 'string') return min <= 1 ? `${label} can't be empty` : `${label} needs at least ${min} characters`;
    return `${label} needs at least ${min}`;
  }
  if (issue.code === 'too_big') {
    if (issue.origin === 'number') return `${label} can be at most ${max}`;
    if (issue.origin === 'string') return `${label} is at most ${max} characters`;
    if (issue.origin === 'array') return `At most ${max} ${noun}`;
    return `${label} is too big`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('number')) return `${label} must be a number`;
  const message = issue.message;
  if (/must not be empty/.test(message)) return `${label} can't be empty`;
  if (/must be a date as YYYY-MM-DD/.test(message) || (issue.code === 'invalid_format' && issue.format === 'date')) return `${label} must be a full date, like 2025-07-15`;
  if (/must not be before startDate/.test(message)) return "End date can't be before the start date";
  const taken = /already uses the key (\S+)/.exec(message);
  if (taken) return `${label} ${taken[1]} is already used by another project`;
  if (/must not contain NUL|lone surrogates/.test(message)) return `${label} contains characters that can't be saved`;
  return `${label} ${message.replace(/^[A-Z]/, (c) => c.toLowerCase())}`;
}

/**
 * Turns a VALIDATION error's details into `{ field: plain message }`, keyed by the issue path's
 * first segment, so a form can show each message beside its field. Handlers that check a field
 * themselves send `{ field }` instead of zod issues; their message is used, minus the field prefix.
 * Anything it cannot place is returned under `_form`. A CONFLICT naming a field (a key taken
 * meanwhile) is placed the same way.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error) || (error.code !== 'VALIDATION' && error.code !== 'CONFLICT')) return {};
  const details = error.details as { issues?: unknown; field?: unknown } | unknown[] | undefined;
  const issues = Array.isArray(details) ? details : Array.isArray((details as { issues?: unknown })?.issues) ? ((details as { issues: unknown[] }).issues) : [];
  const out: Record<string, string> = {};
  for (const raw of issues) {
    const issue = raw as { path?: unknown; message?: unknown };
    const path = Array.isArray(issue.path) ? issue.path.map(String) : typeof issue.path === 'string' ? issue.path.split('.') : [];
    const field = path[0] || '_form';
    const message = typeof issue.message === 'string' ? issue.message : 'is not valid';
    out[field] ??= field === '_form' ? message : plainMessage(field, { message });
  }
  const field = !Array.isArray(details) ? (details as { field?: unknown } | undefined)?.field : undefined;
  if (issues.length === 0 && typeof field === 'string' && field) {
    const first = field.split('.')[0]!;
    const message = error.message.replace(/^Invalid input to [\w.]+: /, '').replace(new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), '');
    out[first] = plainMessage(first, { message });
  }
  if (error.code === 'VALIDATION' && Object.keys(out).length === 0) out._form = error.message;
  return out;
}

/**
 * A failed call's problems by field, for a form to show beside its fields; a failure that names
 * no field the form can show (a lost connection, a deleted project) is a toast instead. Toasts
 * show inside an open dialog (toasts.tsx), so neither is ever hidden behind a modal.
 */
export function errorsOrToast(error: unknown): Record<string, string> {
  const byField = fieldErrors(error);
  if (Object.keys(byField).length > 0 && !byField._form) return byField;
  toastError(error);
  return {};
}

/**
 * A form's own check of one field with the contract's schema for it, before anything is sent:
 * the plain message of its first issue, or null when the value is fine.
 */
export function checkField(field: string, schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  return plainMessage(field, issue as FieldIssue);
}

/** "must not be empty" → "Must not be empty": the core's messages follow a field name; beside a field they start a sentence. */
export function asSentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
