import { isApiError } from '../../../src-main/contract';
import { asSentence } from '../../components/field-errors';

/**
 * The core's VALIDATION problems with a job's params, placed by param: `params.urls.0` → `urls`
 * (for a form with a `urls` field), and also under its whole path (`fields.2.max`) so a form with
 * rows of its own (data.generate's field list) can put each message by the exact input. A problem
 * with a param the form has no field for goes to `_params`, shown above the form.
 */
export function paramErrors(error: unknown, known: readonly string[]): Record<string, string> {
  if (!isApiError(error) || error.code !== 'VALIDATION') return {};
  const issues = (error.details as { issues?: { path?: unknown[]; message?: string }[] } | undefined)?.issues ?? [];
  const out: Record<string, string> = {};
  for (const issue of issues) {
    if (!Array.isArray(issue.path) || issue.path[0] !== 'params') continue;
    const key = issue.path[1] === undefined ? '_params' : String(issue.path[1]);
    const message = asSentence(issue.message ?? 'is not valid');
    if (known.includes(key)) {
      out[key] ??= message;
      if (issue.path.length > 2) out[issue.path.slice(1).join('.')] ??= message;
    } else out._params ??= `${issue.path.slice(1).join('.') || 'Params'}: ${issue.message ?? 'is not valid'}`;
  }
  return out;
}
