/**
 * The open task's activity: its change history from the core (who changed what, local and
 * teammates' changes alike), newest first, re-read whenever the task changes.
 */
import { useEffect, useState } from 'react';
import type { HistoryEntry, Task } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { formatAgo } from '../../components/format';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { describeHistoryEntry } from './history-text';

export function TaskActivity({ task }: { task: Task }) {
  const stages = useAppStore((s) => s.stagesByProject[task.projectId]);
  const members = useAppStore((s) => s.members);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const now = useNow();

  // `updatedAt` and `number` move with every saved change of the task (here or from a teammate).
  useEffect(() => {
    let current = true;
    api.tasks.history({ id: task.id, limit: 50 }).then(
      (found) => {
        if (!current) return;
        setEntries(found);
        setFailed(null);
      },
      (error: unknown) => current && setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
    };
  }, [task.id, task.updatedAt, task.number]);

  const names = {
    stage: (id: string) => stages?.find((s) => s.id === id)?.name,
    member: (id: string) => members.find((m) => m.id === id)?.name,
  };
  return (
    <section className="activity" aria-label="Activity">
      <h3 className="activity-title">Activity</h3>
      {failed ? (
        <p className="activity-empty">The activity could not be read: {failed}</p>
      ) : entries === null ? (
        <p className="activity-empty">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="activity-empty">No changes recorded yet.</p>
      ) : (
        <ol className="activity-list">
          {entries.map((entry) => (
            <li key={entry.id} className="activity-item">
              <span className="activity-text">{describeHistoryEntry(entry, names)}</span>
              <time className="activity-time" dateTime={entry.at} title={new Date(entry.at).toLocaleString()}>
                {formatAgo(entry.at, now)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
