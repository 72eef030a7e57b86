/** What every domain handler gets: the replica, the doc store, the clock and local settings. */
import type { ChangeEvent } from '../contract';
import type { PGlite } from '@electric-sql/pglite';
import type { DocStore } from './sync/doc-store';
import type { Logger } from './ports';
import type { Settings } from './settings/settings.repo';

export interface CoreContext {
  db: PGlite;
  docs: DocStore;
  settings: Settings;
  logger: Logger;
  /** ISO timestamp for display fields (createdAt, updatedAt); never used to decide a merge. */
  now(): string;
  /** For local-only changes; doc changes emit their own events once durable. */
  emit(event: ChangeEvent): void;
  /** Every change event, local or remote, as it is pushed to views. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
}
