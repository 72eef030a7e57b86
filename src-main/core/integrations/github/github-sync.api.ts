/** The `github` namespace, part 2: the sync, the repo view, a task's code, the project's rules and moves. */
import { ApiError } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import type { GithubSession } from './github-session';

export function syncHandlers(session: GithubSession) {
  void session;
  const notYet = (): never => {
    throw new ApiError('UNAVAILABLE', 'not built yet');
  };
  return {
    repo: notYet,
    syncNow: notYet,
    taskLinks: notYet,
    projectRules: notYet,
    setProjectRules: notYet,
    undoMove: notYet,
  } satisfies Partial<HandlersOf<'github'>>;
}
