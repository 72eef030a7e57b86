import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { GithubAction, GithubRepoLink, GithubTaskLinks, GithubTaskMove, Task } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { formatAgo } from '../../components/format';
import { errorText, InlineError } from '../../components/inline-error';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { ActionStatus, actionTitle } from './action-status';
import { CodeList } from './code-list';
import { branchRow, commitRow, issueRow, pullRow, type CodeRow } from './code-rows';
import { useGithubProject } from './use-github-project';

/**
 * The open task's code: pull requests, branches, commits and issues that mention it, the moves
 * pull requests made (undoable), and "Create branch" / "Create GitHub issue" with their state.
 * Re-read when the project's links or moves change and when one of the task's actions is done.
 */
export function TaskCode({ task }: { task: Task }) {
  const { account, links } = useGithubProject(task.projectId);
  const openSettings = useAppStore((s) => s.openSettings);
  const revision = useAppStore((s) => s.githubRevisionByProject[task.projectId] ?? 0);
  const actions = useAppStore(useShallow((s) => Object.values(s.githubActions).filter((a) => a.taskId === task.id)));
  const doneActions = actions.filter((a) => a.state === 'done').length;
  const [found, setFound] = useState<GithubTaskLinks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const linked = Boolean(links && links.length > 0);

  useEffect(() => {
    if (!linked) return;
    let current = true;
    api.github.taskLinks({ taskId: task.id }).then(
      (answer) => {
        if (!current) return;
        setFound(answer);
        setError(null);
      },
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [task.id, linked, revision, doneActions]);

  return (
    <section className="task-code" aria-label="Code">
      <h3 className="activity-title">Code</h3>
      {account === null && <p className="hint">GitHub is not connected on this machine; what your team’s syncs found still shows.</p>}
      {links === undefined ? (
        <p className="activity-empty">Loading…</p>
      ) : !linked ? (
        <p className="activity-empty">
          No repo is linked to this project.{' '}
          <button type="button" className="link-button" onClick={() => openSettings('github')}>
            Link one in Settings → GitHub
          </button>{' '}
          to see the branches, commits and pull requests that mention {task.key}.
        </p>
      ) : (
        <>
          {error && <InlineError label="The task’s code could not be read">{error}</InlineError>}
          {found && <TaskCodeLists task={task} found={found} onMoveUndone={(move) => setFound({ ...found, moves: found.moves.map((m) => (m.id === move.id ? move : m)) })} />}
          <TaskCodeActions task={task} links={links!} actions={actions} />
        </>
      )}
    </section>
  );
}

function TaskCodeLists({ task, found, onMoveUndone }: { task: Task; found: GithubTaskLinks; onMoveUndone(move: GithubTaskMove): void }) {
  const now = useNow();
  const lists: { label: string; rows: CodeRow[] }[] = [
    { label: 'Pull requests', rows: found.pulls.map((p) => pullRow(p, now)) },
    { label: 'Branches', rows: found.branches.map(branchRow) },
    { label: 'Commits', rows: found.commits.map((c) => commitRow(c, now)) },
    { label: 'Issues', rows: found.issues.map(issueRow) },
  ].filter((list) => list.rows.length > 0);
  if (lists.length === 0 && found.moves.length === 0) {
    return <p className="activity-empty">Nothing on GitHub mentions {task.key} yet. Name a branch or pull request with {task.key}, or write “fixes {task.key}” in it.</p>;
  }
  return (
    <>
      {found.moves.length > 0 && <TaskMoves task={task} moves={found.moves} onUndone={onMoveUndone} />}
      {lists.map((list) => (
        <CodeList key={list.label} label={list.label} rows={list.rows} empty="" showTasks={false} />
      ))}
    </>
  );
}

/** "Moved to Done by #12 'Fix login'", newest first, each undoable once (an undone move is never repeated by a later sync). */
function TaskMoves({ task, moves, onUndone }: { task: Task; moves: GithubTaskMove[]; onUndone(move: GithubTaskMove): void }) {
  const stages = useAppStore((s) => s.stagesByProject[task.projectId]);
  const canEdit = useAppStore(selectCanEdit);
  const now = useNow();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const stageName = (id: string | null) => (id ? (stages?.find((s) => s.id === id)?.name ?? 'a removed stage') : 'no stage');
  const undo = async (move: GithubTaskMove) => {
    try {
      onUndone(await api.github.undoMove({ moveId: move.id }));
      setErrors((e) => ({ ...e, [move.id]: '' }));
    } catch (error) {
      setErrors((e) => ({ ...e, [move.id]: errorText(error) }));
    }
  };
  return (
    <ul className="task-moves" aria-label="Moves by pull requests">
      {moves.map((move) => {
        const text = `Moved to ${stageName(move.toStageId)} by #${move.pull} “${move.pullTitle}”`;
        return (
          <li key={move.id} className={move.undoneAt ? 'task-move task-move-undone' : 'task-move'}>
            <span>
              {text} <span className="hint">{formatAgo(move.at, now)}</span>
            </span>
            {move.undoneAt ? (
              <span className="hint">undone, back to {stageName(move.fromStageId)}</span>
            ) : (
              canEdit && (
                <button type="button" className="button" aria-label={`Undo: ${text}`} onClick={() => void undo(move)}>
                  Undo
                </button>
              )
            )}
            {errors[move.id] && <InlineError>{errors[move.id]!}</InlineError>}
          </li>
        );
      })}
    </ul>
  );
}

/** Create the task's branch (from a base, or the repo's default branch) or a GitHub issue, in one of the project's repos; then their state. */
function TaskCodeActions({ task, links, actions }: { task: Task; links: GithubRepoLink[]; actions: GithubAction[] }) {
  const canEdit = useAppStore(selectCanEdit);
  const put = useAppStore((s) => s.putGithubAction);
  const id = useId();
  const [repo, setRepo] = useState(links[0]!.repo);
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = links.some((l) => l.repo === repo) ? repo : links[0]!.repo;
  if (!canEdit || task.deletedAt) return null;

  const run = async (send: () => Promise<GithubAction>) => {
    setBusy(true);
    setError(null);
    try {
      put(await send());
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  const sorted = [...actions].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return (
    <div className="task-code-actions">
      {links.length === 1 && <p className="activity-empty">On GitHub, in {chosen}:</p>}
      <div className="task-code-form">
        {links.length > 1 && (
          <label className="field" htmlFor={`${id}-repo`}>
            <span>Repo</span>
            <select id={`${id}-repo`} value={chosen} onChange={(e) => setRepo(e.target.value)}>
              {links.map((l) => (
                <option key={l.repo} value={l.repo}>
                  {l.repo}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field" htmlFor={`${id}-from`}>
          <span>Branch from (optional)</span>
          <input id={`${id}-from`} spellCheck={false} maxLength={250} placeholder="the default branch" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => api.github.createBranch({ taskId: task.id, repo: chosen, ...(from.trim() ? { from: from.trim() } : {}) }))}>
          Create branch
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => api.github.createIssue({ taskId: task.id, repo: chosen }))}>
          Create GitHub issue
        </button>
      </div>
      {error && <InlineError>{error}</InlineError>}
      {sorted.length > 0 && (
        <ul className="task-actions-list" aria-label="Sent to GitHub" aria-live="polite">
          {sorted.map((action) => (
            <li key={action.id}>
              <span>{actionTitle(action)}</span> <ActionStatus actionId={action.id} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
