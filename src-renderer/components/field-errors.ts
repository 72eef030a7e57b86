import { isApiError } from '../../src-main/contract';

/**
 * Turns a VALIDATION error's details into `{ field: message }`, keyed by the issue path's first
 * segment, so a form can show each message beside its field. Handlers that check a field
 * themselves send `{ field }` instead of zod issues; their message is kept, minus the field prefix.
 * Anything it cannot place is returned under `_form`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.code !== 'VALIDATION') return {};
  const details = error.details as { issues?: unknown; field?: unknown } | unknown[] | undefined;
  const issues = Array.isArray(details) ? details : Array.isArray((details as { issues?: unknown })?.issues) ? ((details as { issues: unknown[] }).issues) : [];
  const out: Record<string, string> = {};
  for (const raw of issues) {
    const issue = raw as { path?: unknown; message?: unknown };
    const path = Array.isArray(issue.path) ? issue.path.map(String) : typeof issue.path === 'string' ? issue.path.split('.') : [];
    const field = path[0] || '_form';
    const message = typeof issue.message === 'string' ? issue.message : 'is not valid';
    out[field] ??= message;
  }
  const field = !Array.isArray(details) ? (details as { field?: unknown } | undefined)?.field : undefined;
  if (issues.length === 0 && typeof field === 'string' && field) {
    const first = field.split('.')[0]!;
    out[first] = error.message.replace(/^Invalid input to [\w.]+: /, '').replace(new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), '');
  }
  if (Object.keys(out).length === 0) out._form = error.message;
  return out;
}

/** "must not be empty" → "Must not be empty": the core's messages follow a field name; beside a field they start a sentence. */
export function asSentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
