/**
 * The open task's activity: its change history from the core (who changed what, local and
 * teammates' changes alike), newest first, re-read whenever the task changes. A stage change a
 * pull request made (a GitHub move: `github.taskLinks`) names that PR, with its link.
 */
import { useEffect, useState } from 'react';
import type { GithubTaskMove, HistoryEntry, Task } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { formatAgo } from '../../components/format';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { describeHistoryEntry } from './history-text';

export function TaskActivity({ task }: { task: Task }) {
  const stages = useAppStore((s) => s.stagesByProject[task.projectId]);
  const members = useAppStore((s) => s.members);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [moves, setMoves] = useState<GithubTaskMove[]>([]);
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
        // The moves only name the PR beside a stage change: asked for only when there is one (the
        // task's Code section reads the same links for itself), and without them the activity is whole.
        if (!found.some((entry) => entry.field === 'stageId')) return setMoves([]);
        api.github.taskLinks({ taskId: task.id }).then(
          (links) => current && setMoves(links.moves),
          () => current && setMoves([]),
        );
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
              <span className="activity-text">
                {describeHistoryEntry(entry, names)}
                <MovedBy move={moveOf(entry, moves)} />
              </span>
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

/** The move that made this stage change: same stage, written in the same moment (one transaction), or an undo of it. */
function moveOf(entry: HistoryEntry, moves: GithubTaskMove[]): { move: GithubTaskMove; undo: boolean } | null {
  if (entry.field !== 'stageId') return null;
  const near = (at: string | null) => at !== null && Math.abs(Date.parse(at) - Date.parse(entry.at)) < 2_000;
  for (const move of moves) {
    if (entry.newValue === move.toStageId && near(move.at)) return { move, undo: false };
    if (entry.oldValue === move.toStageId && near(move.undoneAt)) return { move, undo: true };
  }
  return null;
}

function MovedBy({ move }: { move: { move: GithubTaskMove; undo: boolean } | null }) {
  if (!move) return null;
  const { pull, pullTitle, pullUrl, rule } = move.move;
  return (
    <>
      {move.undo ? ', undoing the move by ' : rule === 'onMerge' ? ' — merged pull request ' : ' — opened pull request '}
      <a href={pullUrl} target="_blank" rel="noreferrer">
        #{pull} “{pullTitle}”
      </a>
    </>
  );
}
