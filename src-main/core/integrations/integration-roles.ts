/**
 * Who may change a workspace's shared integration state (GitHub repo links, rules and moves;
 * Vercel project links): owners, admins and members; viewers read. One rule for every integration.
 */
import { ApiError, type Role } from '../../contract';

const writerRoles: readonly Role[] = ['owner', 'admin', 'member'];

export const canWriteIntegration = (role: Role) => writerRoles.includes(role);

/** FORBIDDEN (naming the role) unless `role` may `what` ("link or unlink repos"). */
export function requireIntegrationWriter(role: Role, what: string): void {
  if (!canWriteIntegration(role)) {
    throw new ApiError('FORBIDDEN', `Only owners, admins and members can ${what}; you are a ${role} in this workspace.`, { role });
  }
}
