import type { Presence, SyncStatus } from './models';

/** Pushed by the core after a change is durable in the local replica. */
export const entityKinds = ['workspace', 'profile', 'member', 'project', 'stage', 'task'] as const;
export type EntityKind = (typeof entityKinds)[number];

export interface ChangeEvent {
  /** Workspace the change belongs to; null for machine-wide things (the profile, the workspace list). */
  workspaceId: string | null;
  projectId: string | null;
  entity: EntityKind;
  /** Ids of the changed entities: views re-read only these, never the whole list. */
  ids: string[];
}

export interface ApiEvents {
  changed: ChangeEvent;
  /** A workspace's sync status changed (state, pending count, errors). */
  sync: SyncStatus;
  /** Who else is viewing what in a workspace. */
  presence: Presence;
}
export type EventName = keyof ApiEvents;
export const eventNames = ['changed', 'sync', 'presence'] as const satisfies readonly EventName[];
