/**
 * Who may do what with jobs, by this replica's role in the workspace (the relay token's role from
 * the sync config; a local-only workspace is its owner's). Checked in the core, so every client
 * gets the same answer; the relay independently drops a viewer's doc updates.
 */
import { ApiError, type Role } from '../../contract';

export type JobAction = 'manage' | 'run' | 'restore';

const allowed: Record<JobAction, readonly Role[]> = {
  /** Create, edit, pause, delete, take over. */
  manage: ['owner', 'admin'],
  /** Run now, cancel. */
  run: ['owner', 'admin', 'member'],
  /** See and restore the backups the backup jobs wrote (core/backups/backups.api.ts). */
  restore: ['owner', 'admin'],
};

const what: Record<JobAction, string> = {
  manage: 'create, edit, pause, delete or take over jobs',
  run: 'run or cancel jobs',
  restore: 'see or restore backups',
};

export function requireJobRole(role: Role, action: JobAction): void {
  if (!allowed[action].includes(role)) {
    throw new ApiError('FORBIDDEN', `Only ${allowed[action].join(', ').replace(/, (\w+)$/, ' and $1')}s can ${what[action]}; you are a ${role} in this workspace.`, {
      role,
      action,
    });
  }
}
