import { useState } from 'react';
import { api } from '../../api/connection';
import { EmptyState } from '../../components/empty-state';
import { plural } from '../../components/format';
import { errorText, InlineError } from '../../components/inline-error';
import { useAppStore } from '../../store/app-store';
import { GithubQueue } from './github-queue';
import { GithubRules } from './github-rules';
import { RepoSection } from './repo-section';
import { useGithubProject } from './use-github-project';

/**
 * A project's Code page: each linked repo's pull requests, branches, commits, workflow runs and
 * deployments with the tasks they mention, Sync now, the pull request rules and this machine's
 * GitHub actions. Says what is missing when GitHub is not connected or no repo is linked.
 */
export function CodeView({ projectId }: { projectId: string }) {
  const project = useAppStore((s) => s.projects.find((p) => p.id === projectId));
  const { account, links } = useGithubProject(projectId);
  const openSettings = useAppStore((s) => s.openSettings);
  const toSettings = (
    <button type="button" className="button" onClick={() => openSettings('github')}>
      Open Settings → GitHub
    </button>
  );

  return (
    <div className="code-view">
      <header className="code-view-header">
        <h2>Code</h2>
        <div className="spacer" />
        {links && links.length > 0 && <SyncNow projectId={projectId} connected={Boolean(account)} />}
      </header>
      {account === null && (
        <p className="code-notice">
          GitHub is not connected on this machine: what you see is what this machine fetched before, and Sync now needs a connection. {toSettings}
        </p>
      )}
      {links === undefined ? (
        <p className="loading">Loading…</p>
      ) : links.length === 0 ? (
        <EmptyState title={`No repo linked to ${project?.name ?? 'this project'}`} action={toSettings}>
          Link a GitHub repo in Settings → GitHub to follow its branches, commits, pull requests, runs and deployments here and on the tasks they mention.
        </EmptyState>
      ) : (
        <div className="code-view-body">
          <div className="code-view-repos">
            {links.map((link) => (
              <RepoSection key={link.repo} projectId={projectId} repo={link.repo} />
            ))}
          </div>
          <aside className="code-view-side" aria-label="Code settings">
            <GithubRules projectId={projectId} />
            <GithubQueue />
          </aside>
        </div>
      )}
    </div>
  );
}

/** Sync now: every linked repo of the project, with progress and each repo's result (shown in its section). */
function SyncNow({ projectId, connected }: { projectId: string; connected: boolean }) {
  const noteSyncs = useAppStore((s) => s.noteGithubSyncs);
  const [state, setState] = useState<{ busy: boolean; summary: string | null; error: string | null }>({ busy: false, summary: null, error: null });
  const sync = async () => {
    setState({ busy: true, summary: null, error: null });
    try {
      const syncs = await api.github.syncNow({ projectId });
      noteSyncs(projectId, syncs);
      const failed = syncs.filter((s) => !s.ok).length;
      setState({ busy: false, summary: `Synced ${plural(syncs.length, 'repo')}${failed ? `, ${failed} failed` : ''}.`, error: null });
    } catch (error) {
      setState({ busy: false, summary: null, error: errorText(error) });
    }
  };
  return (
    <div className="sync-now">
      <span role="status" className="hint">
        {state.busy ? 'Syncing with GitHub…' : state.summary}
      </span>
      {state.error && <InlineError label="Sync failed">{state.error}</InlineError>}
      <button type="button" className="button button-primary" disabled={state.busy || !connected} title={connected ? undefined : 'Connect GitHub first'} onClick={() => void sync()}>
        {state.busy ? 'Syncing…' : 'Sync now'}
      </button>
    </div>
  );
}

