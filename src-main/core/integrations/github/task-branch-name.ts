/**
 * The branch name of a task as this machine's person would make it ("Copy branch name", and the
 * branch `github.createBranch` creates): `branchNameFor` (branch-name.ts) with the connected login,
 * else the person's display name, and the pattern preference.
 */
import type { CoreContext } from '../../context';
import { getProfile } from '../../profile/profile.api';
import { preferenceSetting } from '../../settings/preferences.api';
import { getTask, getTaskPlace } from '../../tasks/tasks.repo';
import { branchNameFor, defaultBranchPattern } from './branch-name';
import type { ConnectionStore } from './connection-store';

/** The preference holding the branch-name pattern ("Copy branch name"; `branch-name.ts`). */
export const branchPatternPreference = 'github-branch-pattern';

export async function taskBranchName(ctx: CoreContext, store: ConnectionStore, taskId: string): Promise<{ branchName: string; pattern: string }> {
  const [task, place, account, stored] = await Promise.all([
    getTask(ctx.db, taskId),
    getTaskPlace(ctx.db, taskId),
    store.account(),
    ctx.settings.get<unknown>(preferenceSetting(branchPatternPreference)),
  ]);
  const user = account?.login ?? (await getProfile(ctx)).displayName;
  const pattern = typeof stored === 'string' && stored.trim() !== '' ? stored.trim() : defaultBranchPattern;
  return { branchName: branchNameFor(task, place.projectKey, user, pattern), pattern };
}
