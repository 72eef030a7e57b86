/** Every doc transaction carries a typed origin, so observers know who changed what. */
export type Origin =
  | { kind: 'local'; memberId: string | null }
  | { kind: 'remote' }
  | { kind: 'job'; jobId: string }
  | { kind: 'migration' };

export const localOrigin = (memberId: string | null = null): Origin => ({ kind: 'local', memberId });
export const remoteOrigin: Origin = { kind: 'remote' };
