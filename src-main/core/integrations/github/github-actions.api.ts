/** The `github` namespace, part 3: actions on GitHub (branch, issue, workflow, deployment) and their offline queue. */
import { ApiError } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import type { GithubSession } from './github-session';

export function actionHandlers(session: GithubSession) {
  void session;
  const notYet = (): never => {
    throw new ApiError('UNAVAILABLE', 'not built yet');
  };
  return {
    createBranch: notYet,
    createIssue: notYet,
    dispatchWorkflow: notYet,
    createDeployment: notYet,
    workflows: notYet,
    queue: notYet,
    retryQueued: notYet,
    cancelQueued: notYet,
  } satisfies Partial<HandlersOf<'github'>>;
}
