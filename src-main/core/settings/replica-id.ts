/**
 * This replica's own id: made once per data dir, kept in local settings, never synced. Records
 * that only their author may adjust later (a task's number after a merge) carry it.
 */
import { randomUUID } from 'node:crypto';
import type { Settings } from './settings.repo';

const key = 'replica-id';
const known = new WeakMap<Settings, Promise<string>>();

export function replicaId(settings: Settings): Promise<string> {
  let id = known.get(settings);
  if (!id) {
    id = (async () => {
      const stored = await settings.get<string>(key);
      if (stored) return stored;
      const made = randomUUID();
      await settings.set(key, made);
      return made;
    })();
    id.catch(() => known.delete(settings)); // a failed read is tried again next time
    known.set(settings, id);
  }
  return id;
}
