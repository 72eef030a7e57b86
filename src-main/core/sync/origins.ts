/**
 * Every doc transaction carries a typed origin, so observers and save hooks know who changed what:
 * a person on this machine (with their member id, and the API call that did it), a teammate's
 * replica through the relay, the scheduler (the jobs whose summaries one transaction wrote),
 * Groundwork itself (renumbering), or a migration.
 */
export interface CallCause {
  connectionId: string;
  callId: number;
}

export type Origin =
  | { kind: 'local'; memberId: string | null; cause?: CallCause }
  | { kind: 'remote' }
  | { kind: 'job'; jobIds: string[] }
  | { kind: 'system'; reason: string }
  | { kind: 'migration' };

export type LocalOrigin = Extract<Origin, { kind: 'local' }>;

export const localOrigin = (memberId: string | null = null, cause?: CallCause): LocalOrigin => ({ kind: 'local', memberId, ...(cause ? { cause } : {}) });
export const remoteOrigin: Origin = { kind: 'remote' };
export const systemOrigin = (reason: string): Origin => ({ kind: 'system', reason });

