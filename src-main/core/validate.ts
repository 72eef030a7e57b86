/**
 * The validation wrapper, applied where handlers are registered (not inside each handler): every
 * call's input is parsed with its contract schema, and bad input becomes a VALIDATION error naming
 * the field before any handler runs — so nothing is ever half-written from bad input.
 */
import type { z } from 'zod';
import { ApiError, inputs, type Api, type Inputs, type ParsedOf } from '../contract';

/** A namespace's handlers receive parsed input (defaults filled in) and return what the Api says. */
export type HandlersOf<NS extends keyof Api & keyof Inputs> = {
  [M in keyof Api[NS] & keyof Inputs[NS]]: (
    input: ParsedOf<NS, M>,
  ) => Api[NS][M] extends (...args: never[]) => infer R ? R : never;
};

export type AllHandlers = { [NS in keyof Api & keyof Inputs]: HandlersOf<NS> };

export function validated(handlers: AllHandlers): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const [ns, methods] of Object.entries(handlers)) {
    const schemas = inputs[ns as keyof Inputs] as Record<string, z.ZodType>;
    api[ns] = {};
    for (const [verb, handler] of Object.entries(methods as Record<string, (input: unknown) => Promise<unknown>>)) {
      const schema = schemas[verb];
      if (!schema) throw new Error(`No input schema for ${ns}.${verb}`);
      api[ns][verb] = async (input: unknown) => handler(parseInput(`${ns}.${verb}`, schema, input ?? {}));
    }
  }
  return api as unknown as Api;
}

export function parseInput(method: string, schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    return { path, message: issue.message };
  });
  const first = issues[0];
  const message = issues
    .slice(0, 3)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  throw new ApiError('VALIDATION', `Invalid input to ${method}: ${message || 'invalid input'}`, {
    field: first?.path ?? null,
    issues,
  });
}
