/**
 * A linked repo `octo-org/website` on the ETag replay server, every answer a recorded one, with
 * Groundwork's task keys put where people write them (sync-fixtures/README.md lists each change):
 * PR #403 merged saying "fixes WEB-1", PR #402 open from branch `web-2-…`, a commit "WEB-3: …".
 * Used by repo-sync.test.ts and the e2e of a task's linked PR.
 */
import { recordings, type EtagReplay, type Recording } from './cache-fixtures/etag-replay-server';

export const repo = 'octo-org/website';
const at = (path: string) => `/repos/${repo}${path}`;
const fixtures = new URL('./fixtures/', import.meta.url);
const syncFixtures = new URL('./sync-fixtures/', import.meta.url);
export const pullsUrl = at('/pulls?direction=desc&per_page=100&sort=updated&state=all');

interface PullBody {
  number: number;
  title: string;
  state: string;
  merged_at: string | null;
  closed_at: string | null;
  head: { ref: string; sha: string };
}

/** The tasks the scenario names, in the order they are made (WEB-1, WEB-2, WEB-3). */
export const scenarioTasks = ['Testing is painful', 'Deployments API', 'Rails admin commit'];

/** The recorded pull requests with our task keys where people write them (README: what the tests change). */
export function pullsNamingTasks(etag?: string): Recording {
  const [recording] = recordings('pulls-list');
  const pulls = structuredClone(recording!.response) as PullBody[];
  const merged = pulls.find((p) => p.number === 403)!;
  merged.title = `${merged.title} (fixes WEB-1)`;
  merged.state = 'closed';
  merged.merged_at = merged.closed_at = '2014-01-23T12:00:00Z';
  pulls.find((p) => p.number === 402)!.head.ref = 'web-2-deployments-preview';
  return { ...recording!, response: pulls, headers: { ...recording!.headers, ...(etag ? { etag } : {}) } };
}

/** Everything a sync of `octo-org/website` asks for, each a recorded answer. */
export function serveRepo(server: EtagReplay): void {
  server.serve(recordings('user-get-2023', fixtures), '/user');
  server.serve(recordings('get-repository', syncFixtures), at(''));
  server.serve(recordings('branches-list'), at('/branches?per_page=100'));
  const [commits] = recordings('commits-list');
  const { link: _nextPage, ...onePage } = commits!.headers;
  const messages = structuredClone(commits!.response) as { commit: { message: string } }[];
  messages[0]!.commit.message = `WEB-3: ${messages[0]!.commit.message}`;
  server.serve([{ ...commits!, response: messages, headers: onePage }], at('/commits?per_page=100'));
  server.serve([pullsNamingTasks()], pullsUrl);
  server.serve(recordings('actions-runs-list-paginated').slice(0, 1), at('/actions/runs?per_page=30'));
  const deployments = recordings('deployments-list', syncFixtures);
  server.serve(deployments, at('/deployments?per_page=30'));
  const statuses = recordings('deployment-create-get-list-statuses', syncFixtures).filter((r) => r.path.endsWith('/statuses'));
  for (const deployment of deployments[0]!.response as { id: number }[]) server.serve(statuses, at(`/deployments/${deployment.id}/statuses?per_page=1`));
  const status = recordings('commit-combined-status', syncFixtures);
  for (const pull of pullsNamingTasks().response as PullBody[]) server.serve(status, at(`/commits/${pull.head.sha}/status`));
}
