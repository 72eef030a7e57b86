/**
 * Scenarios for the actions tests, composed at test time from recorded GitHub exchanges
 * (fixtures/README.md, "Actions scenarios"): only what must match our requests is adjusted — a
 * path (a ref's name, a workflow named by its file instead of its id, a recorder's placeholder
 * repo), a request body whose values we choose (the branch name and base sha), and, for the
 * branch, the recorded answer's ref name and sha, so GitHub's answer names what was asked; and
 * @octokit/fixtures' recorded request headers (their token), which ours cannot match.
 */
import { recorded, type RecordedExchange } from './octokit-replay-server';

/** The connected login of `user-get-2023.json` (the branch names start with it, lower-cased). */
export const recordedLogin = 'EnricoMi';
export const connect = (): RecordedExchange[] => recorded('user-get-2023.json');

const placeholderRepo = 'api-sandbox';
/** octokit.rb's recordings name their repo `<GITHUB_TEST_REPOSITORY>` (the login is filled by `recorded`). */
const octokitRb = (file: string): RecordedExchange[] => JSON.parse(JSON.stringify(recorded(file)).replaceAll('<GITHUB_TEST_REPOSITORY>', placeholderRepo)) as RecordedExchange[];

/**
 * An @octokit/fixtures scenario: its requests were recorded with the fixtures' own token and
 * content lengths as `reqheaders`; those are dropped (as in the shared recordings' conversion).
 */
const octokitFixture = (file: string): RecordedExchange[] => recorded(file).map((exchange) => ({ ...exchange, reqheaders: {} }));

export const branchRepo = 'octokit-fixture-org/git-refs';
interface RefObject {
  ref: string;
  url: string;
  object: { sha: string; type: string; url: string };
}

/**
 * @octokit/fixtures `git-refs`: the base branch's ref (the recorded listing's `main` entry, answered
 * to GET /git/ref/heads/<base>, renamed to `base` when that is another name), the recorded POST
 * /git/refs creating `name` at its sha, and a GET of the new ref answering what the POST made (the
 * recovery check after a restart). `repo` is where they are served (recorded: `git-refs`).
 */
export function branchExchanges(
  name: string,
  { repo = branchRepo, base = 'main' }: { repo?: string; base?: string } = {},
): { getBase: RecordedExchange; create: RecordedExchange; getCreated: RecordedExchange } {
  const [list, create] = octokitFixture('git-refs.json') as [RecordedExchange, RecordedExchange];
  const main = (list.response as RefObject[])[0]!;
  const baseRef: RefObject = { ...main, ref: `refs/heads/${base}`, url: main.url.replace(`/${branchRepo}/`, `/${repo}/`).replace('heads/main', `heads/${base}`) };
  const made = create.response as RefObject;
  const createdRef: RefObject = {
    ...made,
    ref: `refs/heads/${name}`,
    url: made.url.replace(`/${branchRepo}/`, `/${repo}/`).replace('heads/test', `heads/${name}`),
    object: { ...made.object, sha: main.object.sha, url: main.object.url },
  };
  return {
    getBase: { ...list, path: `/repos/${repo}/git/ref/heads/${base}`, response: baseRef },
    create: { ...create, path: `/repos/${repo}/git/refs`, body: { ref: `refs/heads/${name}`, sha: main.object.sha }, response: createdRef },
    getCreated: { ...list, path: `/repos/${repo}/git/ref/heads/${name}`, response: createdRef },
  };
}

export const defaultBranchRepo = 'octokit-fixture-org/hello-world';
/** @octokit/fixtures `get-repository`: GET /repos/octokit-fixture-org/hello-world (`default_branch: master`). */
export const getRepository = (): RecordedExchange => octokitFixture('get-repository.json')[0]!;

export const issueRepo = 'octokit-fixture-org/add-labels-to-issue';
/** @octokit/fixtures `add-labels-to-issue`: its recorded POST /issues (201, issue 1). Our body names the action, so any body is accepted; the test reads what was sent. */
export function issueCreate(): RecordedExchange {
  const { body: _recordedBody, ...create } = octokitFixture('add-labels-to-issue.json')[0]!;
  return create;
}

export const workflowRepo = 'wrecker/PyGithub';
/** PyGithub's recorded dispatch (204), posted to the workflow's file name as we do (recorded: its id 2001227). */
export function dispatch204(): RecordedExchange {
  const post = recorded('workflow-dispatch-204.json')[1]!;
  return { ...post, path: `/repos/${workflowRepo}/actions/workflows/manual_dispatch.yml/dispatches` };
}
export const dispatchedInputs = { ref: 'workflow_dispatch_branch', inputs: { logLevel: 'Warning', message: 'Log Message' } };

/** PyGithub's recorded 422 "Workflow does not have 'workflow_dispatch' trigger" (recorded: id 2001229). */
export function dispatch422NoTrigger(): RecordedExchange {
  const post = recorded('workflow-dispatch-422-no-trigger.json')[1]!;
  return { ...post, path: `/repos/${workflowRepo}/actions/workflows/check.yml/dispatches` };
}

export const deploymentRepo = `octo-user/${placeholderRepo}`;
/** octokit.rb's recorded POST /deployments (201, id 78406011, ref `testing/deployment`); our body carries the action id, so any body is accepted. */
export function deploymentCreate(): RecordedExchange {
  const { body: _recordedBody, ...create } = octokitRb('deployment-create-get-list-statuses.json')[0]!;
  return create;
}

/** octokit.rb's two recorded pages of GET /actions/workflows (recorded with per_page=1; we ask 100 a page, page 2 follows the Link). */
export function workflowsList(): RecordedExchange[] {
  const [first, second] = octokitRb('actions-workflows-list-paginated.json') as [RecordedExchange, RecordedExchange];
  return [{ ...first, path: first.path.replace('per_page=1', 'per_page=100') }, second];
}

/**
 * @octokit/fixtures `paginate-issues`: its recorded first page (issues 13–11, none made by us),
 * answered to the issue check's listing of `repo` (issues by `creator` since `since`).
 */
export function issuesWithoutOurs(repo: string, creator: string, since: string): RecordedExchange {
  const [page] = octokitFixture('paginate-issues.json') as [RecordedExchange];
  const query = new URLSearchParams({ creator, since, state: 'all', per_page: '100' });
  return { ...page, path: `/repos/${repo}/issues?${query.toString()}` };
}
