/**
 * The roles a relay token carries and what each may do — the one list the relay (tokens, rooms,
 * routes) and the app (contract models, sync) read. No imports: the contract re-exports it.
 */
export const roles = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (roles as readonly string[]).includes(value);

/** Roles whose updates the relay accepts; a viewer only reads. */
export const canWrite = (role: Role): boolean => role !== 'viewer';

/** The roles a holder of `role` may invite from inside the app: owners and admins invite members and viewers. */
export const invitableRoles = (role: Role): readonly Role[] => (role === 'owner' || role === 'admin' ? ['member', 'viewer'] : []);
