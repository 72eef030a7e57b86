import type { GithubAction } from '../../../src-main/contract';
import { formatAgo } from '../../components/format';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { StateChip, type Tone } from './state-chip';

const stateChips: Record<GithubAction['state'], { tone: Tone; label: string }> = {
  queued: { tone: 'busy', label: 'Queued' },
  sending: { tone: 'busy', label: 'Sending' },
  done: { tone: 'good', label: 'Done' },
  failed: { tone: 'bad', label: 'Failed' },
  cancelled: { tone: 'warn', label: 'Cancelled' },
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** What was asked, in words: "Create branch ana/web-42-login in acme/web". */
export function actionTitle(action: GithubAction): string {
  const input = action.input;
  switch (action.kind) {
    case 'branch':
    {
      const branch = text(input.branch);
      const from = text(input.from);
      return `Create branch ${branch ? `${branch} ` : ''}${from ? `from ${from} ` : ''}in ${action.repo}`;
    }
    case 'issue':
      return `Create issue${text(input.title) ? ` “${text(input.title)}”` : ''} in ${action.repo}`;
    case 'workflow':
      return `Run ${text(input.workflow)} on ${text(input.ref)} in ${action.repo}`;
    case 'deployment':
      return `Deploy ${text(input.ref)} to ${text(input.environment) || 'production'} in ${action.repo}`;
  }
}

/**
 * An action's state as the queue knows it — done with its link, queued "will be sent when GitHub
 * is reachable" with the next attempt, failed with GitHub's message — read live from the store
 * (the `github` event updates it), so a dialog or a task shows it move from queued to done.
 */
export function ActionStatus({ actionId }: { actionId: string }) {
  const action = useAppStore((s) => s.githubActions[actionId]);
  const now = useNow();
  if (!action) return null;
  const chip = stateChips[action.state];
  return (
    <span className="action-status">
      <StateChip tone={chip.tone} label={chip.label} />
      {action.state === 'done' && action.result?.url ? (
        <a href={action.result.url} target="_blank" rel="noreferrer">
          Open on GitHub{action.result.number ? ` (#${action.result.number})` : action.result.ref ? ` (${action.result.ref})` : ''}
        </a>
      ) : action.state === 'queued' ? (
        <span className="hint">
          Will be sent when GitHub is reachable
          {action.nextAttemptAt ? ` (next try ${new Date(action.nextAttemptAt).toLocaleTimeString()})` : ''}
          {action.attempts > 0 ? `, ${action.attempts} ${action.attempts === 1 ? 'attempt' : 'attempts'} so far` : ''}.
        </span>
      ) : action.state === 'failed' ? (
        <span className="action-error">{action.error ?? 'GitHub refused it.'}</span>
      ) : action.state === 'sending' ? (
        <span className="hint">Sending to GitHub…</span>
      ) : (
        <span className="hint">cancelled {formatAgo(action.updatedAt, now)}</span>
      )}
    </span>
  );
}
