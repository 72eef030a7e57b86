import type { Task } from '../../../src-main/contract';
import { StateChip } from '../github/state-chip';
import { formatLocal } from '../jobs/job-format';

const words = { deployed: 'Deployed', rolled_back: 'Rolled back', failed: 'Deploy failed' } as const;

/** A task's shipping state in the detail panel: where and when its merged PR went out (or came back out), with the deployment's link. */
export function TaskDeploy({ task }: { task: Task }) {
  const deploy = task.deploy;
  if (!deploy) return null;
  const sentence =
    deploy.state === 'deployed'
      ? `${deploy.pull} is in ${deploy.environment} since ${formatLocal(deploy.at)}`
      : deploy.state === 'rolled_back'
        ? `${deploy.pull} was taken out of ${deploy.environment} by a rollback (${formatLocal(deploy.at)})`
        : `the ${deploy.environment} deploy of ${deploy.pull} failed (${formatLocal(deploy.at)})`;
  return (
    <section className="task-deploy" aria-label="Deploy">
      <p>
        <StateChip tone={deploy.state === 'deployed' ? 'good' : 'bad'} label={words[deploy.state]} /> {sentence}.{' '}
        <a href={deploy.url} target="_blank" rel="noreferrer">
          Open {deploy.deploymentId}
        </a>
      </p>
    </section>
  );
}
