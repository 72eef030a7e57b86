/** What every domain handler gets: the replica, the doc store, the clock, local settings and the seams. */
import type { ChangeEvent } from '../contract';
import type { PGlite } from '@electric-sql/pglite';
import type { MainClient } from './main/main-client';
import type { Places } from './places';
import type { DocStore } from './sync/doc-store';
import type { Logger } from './ports';
import type { Settings } from './settings/settings.repo';

export interface CoreContext {
  db: PGlite;
  docs: DocStore;
  settings: Settings;
  logger: Logger;
  /** Where tasks, projects and stages live (cached). */
  places: Places;
  /** Electron main or the web host: secrets, openExternal, notifications, dialogs, power events. */
  main: MainClient;
  /** ISO timestamp for display fields (createdAt, updatedAt); never used to decide a merge. */
  now(): string;
  /**
   * Runs `work` as a mutation of the workspace (null: this machine's own state): after the
   * workspace's earlier mutations, before its later ones. Its deciding reads belong inside.
   */
  mutate<T>(workspaceId: string | null, work: () => Promise<T>): Promise<T>;
  /** For local-only changes; doc changes emit their own events once durable. */
  emit(event: ChangeEvent): void;
  /** Every change event, local or remote, as it is pushed to views. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
}
