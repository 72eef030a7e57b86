import { useEffect, useState } from 'react';
import type { GithubAction } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { formatAgo } from '../../components/format';
import { errorText, InlineError } from '../../components/inline-error';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { selectGithubQueue } from '../../store/github-slice';
import { useShallow } from 'zustand/react/shallow';
import { ActionStatus, actionTitle } from './action-status';

/**
 * "GitHub actions": what this machine asked GitHub to do (branches, issues, workflow runs,
 * deployments), newest first, kept until GitHub has it. Live from the `github` event; Retry sends
 * a queued or failed one now, Cancel drops it.
 */
export function GithubQueue() {
  const actions = useAppStore(useShallow(selectGithubQueue));
  const loadQueue = useAppStore((s) => s.loadGithubQueue);
  const [failed, setFailed] = useState<string | null>(null);
  const now = useNow();

  useEffect(() => {
    loadQueue().then(
      () => setFailed(null),
      (error: unknown) => setFailed(errorText(error)),
    );
  }, [loadQueue]);

  return (
    <section className="github-queue" aria-label="GitHub actions">
      <h3 className="section-heading">GitHub actions</h3>
      {failed && <InlineError label="The queue could not be read">{failed}</InlineError>}
      {actions.length === 0 ? (
        !failed && <p className="hint">Nothing sent from this machine yet. Branches, issues, workflow runs and deployments you start show up here.</p>
      ) : (
        <ul className="queue-list" aria-label="GitHub actions">
          {actions.map((action) => (
            <li key={action.id} className="queue-row">
              <span className="queue-title">{actionTitle(action)}</span>
              <ActionStatus actionId={action.id} />
              <span className="hint">
                {formatAgo(action.createdAt, now)}
                {action.attempts > 0 && action.state !== 'queued' ? ` · ${action.attempts} ${action.attempts === 1 ? 'attempt' : 'attempts'}` : ''}
              </span>
              <QueueButtons action={action} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function QueueButtons({ action }: { action: GithubAction }) {
  const put = useAppStore((s) => s.putGithubAction);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (action.state !== 'queued' && action.state !== 'failed') return null;
  const run = async (call: (input: { id: string }) => Promise<GithubAction>) => {
    setBusy(true);
    setError(null);
    try {
      put(await call({ id: action.id }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  const title = actionTitle(action);
  return (
    <span className="queue-buttons">
      <button type="button" className="button" disabled={busy} aria-label={`Retry: ${title}`} onClick={() => void run(api.github.retryQueued)}>
        Retry
      </button>
      <button type="button" className="button" disabled={busy} aria-label={`Cancel: ${title}`} onClick={() => void run(api.github.cancelQueued)}>
        Cancel
      </button>
      {error && <InlineError>{error}</InlineError>}
    </span>
  );
}
