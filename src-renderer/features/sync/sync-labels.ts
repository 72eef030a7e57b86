import type { Role, SyncState, SyncStatus } from '../../../src-main/contract';
import { formatAgo, plural } from '../../components/format';

export const stateLabels: Record<SyncState, string> = {
  local: 'Local only',
  connecting: 'Connecting',
  connected: 'Synced',
  offline: 'Offline',
  error: 'Error',
};

export const stateDescriptions: Record<SyncState, string> = {
  local: 'This workspace lives on this machine only. Publish it to a relay to work on it with your team.',
  connecting: 'Reaching the relay…',
  connected: 'Connected to the relay. Changes are shared with your team as you make them.',
  offline: 'The relay can’t be reached right now. Your changes are kept safely on this machine and sent when it is back.',
  error: 'Sync has stopped because of a problem. Your changes are kept on this machine.',
};

export const roleLabels: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer — can see everything, change nothing',
};

/** The short second line under the state word: what is waiting, or when it last synced. */
export function syncDetail(status: SyncStatus, now: number): string | null {
  if (status.state === 'local') return null;
  if (status.pendingChanges > 0) return `${plural(status.pendingChanges, 'change')} not yet synced`;
  if (status.lastSyncedAt) return `synced ${formatAgo(status.lastSyncedAt, now)}`;
  return status.state === 'connecting' ? null : 'not synced yet';
}
