/**
 * Input validation, applied where handlers are registered (api-registration.ts), never inside each
 * handler: every call's input is parsed with its contract schema, and bad input becomes a
 * VALIDATION error naming the field before any handler runs — so nothing is ever half-written
 * from bad input.
 */
import type { z } from 'zod';
import { ApiError } from '../contract';

/** An error reply echoes at most this much of the input, however much bad input there was. */
const echoLimits = { issues: 20, chars: 200, keys: 5 };

export function parseInput(method: string, schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const all = result.error.issues;
  const issues = all.slice(0, echoLimits.issues).map((issue) => {
    const at = clip(issue.path.map(String).join('.'));
    if (issue.code !== 'unrecognized_keys') return { path: at, message: clip(issue.message) };
    const listed = issue.keys.slice(0, echoLimits.keys).map((key) => clip(key));
    const more = issue.keys.length - listed.length;
    const message = `unknown field${issue.keys.length === 1 ? '' : 's'} ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    return { path: at || (listed[0] ?? ''), message };
  });
  const first = issues[0];
  const omitted = all.length - issues.length;
  const message =
    issues
      .slice(0, 3)
      .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
      .join('; ') + (all.length > 3 ? ` (and ${all.length - 3} more problems)` : '');
  throw new ApiError('VALIDATION', `Invalid input to ${method}: ${message || 'invalid input'}`, {
    field: first?.path ?? null,
    issues,
    ...(omitted > 0 ? { omittedIssues: omitted } : {}),
  });
}

/** Shortens an echoed text to `echoLimits.chars`, never cutting a surrogate pair in half. */
function clip(text: string): string {
  if (text.length <= echoLimits.chars) return text;
  const cut = echoLimits.chars - 1;
  return `${text.slice(0, /[\uD800-\uDBFF]/.test(text[cut - 1] ?? '') ? cut - 1 : cut)}…`;
}

/**
 * Wraps a served contract's handlers (Electron main's, the web host's) so each parses its input
 * with its schema first; the core's own API is registered with more around it (api-registration.ts).
 */
export function validatedHandlers<H extends Record<string, Record<string, (input: never, ...rest: never[]) => unknown>>>(
  schemas: Record<string, Record<string, z.ZodType>>,
  handlers: H,
): Record<string, Record<string, (args: unknown, ...rest: unknown[]) => unknown>> {
  const wrapped: Record<string, Record<string, (args: unknown, ...rest: unknown[]) => unknown>> = {};
  for (const [ns, methods] of Object.entries(handlers)) {
    wrapped[ns] = {};
    for (const [verb, handler] of Object.entries(methods)) {
      const schema = schemas[ns]?.[verb];
      if (!schema) throw new Error(`No input schema for ${ns}.${verb}`);
      // Async, so bad input is a rejected call like any other failure, never a throw at the caller.
      wrapped[ns][verb] = async (args, ...rest) => (handler as (...a: unknown[]) => unknown)(parseInput(`${ns}.${verb}`, schema, args ?? {}), ...rest);
    }
  }
  return wrapped;
}
