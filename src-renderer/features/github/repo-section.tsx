import { useEffect, useState } from 'react';
import type { GithubRepoSync, GithubRepoView } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { formatAgo, plural } from '../../components/format';
import { errorText, InlineError } from '../../components/inline-error';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { CodeList } from './code-list';
import { branchRow, commitRow, deploymentRow, pullRow, runRow } from './code-rows';
import { CreateDeploymentDialog, RunWorkflowDialog } from './deploy-dialogs';

/**
 * One linked repo as this replica last fetched it: when it synced (or its last error), the last
 * Sync now's figures, and its pull requests, branches, commits, workflow runs and deployments —
 * re-read whenever the project's GitHub data changes (a sync here or a teammate's links).
 */
export function RepoSection({ projectId, repo }: { projectId: string; repo: string }) {
  const revision = useAppStore((s) => s.githubRevisionByProject[projectId] ?? 0);
  const sync = useAppStore((s) => s.githubSyncsByProject[projectId]?.[repo]);
  const canEdit = useAppStore(selectCanEdit);
  const [view, setView] = useState<GithubRepoView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'workflow' | 'deployment' | null>(null);
  const now = useNow();

  useEffect(() => {
    let current = true;
    api.github.repo({ repo }).then(
      (found) => {
        if (!current) return;
        setView(found);
        setError(null);
      },
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [repo, revision]);

  const defaultRef = view?.defaultBranch ?? 'main';
  return (
    <section className="repo-section" aria-label={repo}>
      <header className="repo-header">
        <h3>{repo}</h3>
        {view && (
          <span className="hint">
            {view.syncedAt ? `Synced ${formatAgo(view.syncedAt, now)}` : 'Not synced yet'}
          </span>
        )}
        <div className="spacer" />
        {canEdit && (
          <>
            <button type="button" className="button" aria-label={`Run workflow… (${repo})`} onClick={() => setDialog('workflow')}>
              Run workflow…
            </button>
            <button type="button" className="button" aria-label={`Create deployment… (${repo})`} onClick={() => setDialog('deployment')}>
              Create deployment…
            </button>
          </>
        )}
        {view && (
          <a className="button" href={view.htmlUrl} target="_blank" rel="noreferrer" aria-label={`Open on GitHub: ${repo}`}>
            Open on GitHub
          </a>
        )}
      </header>
      {sync && <SyncResult sync={sync} />}
      {view?.error && <InlineError label="The last sync failed">{view.error}</InlineError>}
      {error && <InlineError label={`${repo} could not be read`}>{error}</InlineError>}
      {view === null ? (
        !error && <p className="hint">Reading…</p>
      ) : (
        <div className="repo-lists">
          <CodeList label="Pull requests" rows={view.pulls.map((p) => pullRow(p, now))} empty="No pull requests." />
          <CodeList label="Workflow runs" rows={view.runs.map((r) => runRow(r, now))} empty="No workflow runs." />
          <CodeList label="Deployments" rows={view.deployments.map((d) => deploymentRow(d, now))} empty="No deployments." />
          <CodeList label="Branches" rows={view.branches.map(branchRow)} empty="No branches fetched yet." />
          <CodeList label="Recent commits" rows={view.commits.map((c) => commitRow(c, now))} empty="No commits fetched yet." />
        </div>
      )}
      {dialog === 'workflow' && <RunWorkflowDialog projectId={projectId} repo={repo} defaultRef={defaultRef} runs={view?.runs ?? []} onClose={() => setDialog(null)} />}
      {dialog === 'deployment' && <CreateDeploymentDialog projectId={projectId} repo={repo} defaultRef={defaultRef} deployments={view?.deployments ?? []} onClose={() => setDialog(null)} />}
    </section>
  );
}

/** What the last Sync now did for this repo: requests spent (and how many cost nothing: 304s), links and moves, or why it failed. */
function SyncResult({ sync }: { sync: GithubRepoSync }) {
  if (!sync.ok) return <InlineError label="Sync failed">{sync.error ?? 'GitHub could not be reached.'}</InlineError>;
  return (
    <p className="hint sync-result">
      Last sync: {plural(sync.requests, 'request')} ({sync.notModified} unchanged, answered 304 without using quota), {plural(sync.links, 'task link')} written,{' '}
      {plural(sync.moves, 'task')} moved, in {(sync.ms / 1000).toFixed(1)} s.
    </p>
  );
}
