/** The job types this core knows: the built-in registry plus any a composition root or test adds. */
import { ApiError, type JobTypeInfo } from '../../contract';
import type { JobType } from './job-type';

export class JobTypes {
  private readonly byName = new Map<string, JobType>();

  constructor(types: readonly JobType[]) {
    for (const type of types) {
      if (this.byName.has(type.type)) throw new Error(`Two job types are named ${type.type}`);
      this.byName.set(type.type, type);
    }
  }

  /** The type, or VALIDATION naming `field` and the types there are. */
  get(name: string, field = 'type'): JobType {
    const type = this.byName.get(name);
    if (!type) {
      const known = [...this.byName.keys()].sort();
      throw new ApiError('VALIDATION', `${field}: there is no job type "${name}" (${known.length ? `known: ${known.join(', ')}` : 'none is registered'})`, {
        field,
      });
    }
    return type;
  }

  /** Whether a job of this type can run here (a type from a newer build may be unknown). */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The params parsed by the type's schema, or VALIDATION naming the param (`params.urls: …`). */
  parseParams(name: string, params: unknown): unknown {
    const parsed = this.get(name).params.safeParse(params);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((issue) => ({ path: ['params', ...issue.path.map(String)], message: issue.message }));
    const first = issues[0]!;
    throw new ApiError('VALIDATION', `${first.path.join('.')}: ${first.message}`, { field: first.path.join('.'), issues });
  }

  list(): JobTypeInfo[] {
    return [...this.byName.values()].map((t) => ({ type: t.type, title: t.title })).sort((a, b) => a.title.localeCompare(b.title));
  }
}
