/**
 * The person's repos for the link picker: GET /user/repos, whose default affiliation is exactly
 * "the user's and their organisations'" (owner, collaborator, organization_member), sorted by full
 * name, 30 a page. A page is GitHub's page (`page`), so paging costs one request each and the
 * conditional-request cache can answer it; `owner` and `search` filter that page (GitHub's listing
 * has no such parameters, and its search API has a separate, small rate limit). The next page
 * comes from GitHub's `Link` header.
 */
import type { Octokit } from 'octokit';
import type { GithubRepo, GithubRepoPage } from '../../../contract';
import { githubError } from './octokit-errors';

interface RepoItem {
  full_name: string;
  name: string;
  owner: { login: string } | null;
  private: boolean;
  description: string | null;
  html_url: string;
  default_branch?: string;
}

export async function listRepos(
  client: Octokit,
  baseUrl: string,
  query: { page: number; owner?: string; search?: string },
): Promise<GithubRepoPage> {
  let response;
  try {
    // Page 1 without parameters: GitHub's defaults, and the same URL every time (cacheable).
    response = await client.request('GET /user/repos', query.page > 1 ? { page: query.page } : {});
  } catch (error) {
    throw githubError(error, 'listing your repos', { baseUrl });
  }
  const owner = query.owner?.toLowerCase();
  const search = query.search?.trim().toLowerCase();
  const repos = (response.data as RepoItem[])
    .map(toRepo)
    .filter((repo) => !owner || repo.owner.toLowerCase() === owner)
    .filter((repo) => !search || repo.fullName.toLowerCase().includes(search) || (repo.description ?? '').toLowerCase().includes(search));
  return { repos, page: query.page, nextPage: nextPageFrom(response.headers.link) };
}

function toRepo(item: RepoItem): GithubRepo {
  const [ownerFromName = ''] = item.full_name.split('/');
  return {
    fullName: item.full_name,
    owner: item.owner?.login ?? ownerFromName,
    name: item.name,
    private: item.private,
    description: item.description,
    htmlUrl: item.html_url,
    defaultBranch: item.default_branch ?? null,
  };
}

/** `<…?page=3>; rel="next", <…>; rel="last"` → 3; no `next` (the last page, or one page) → null. */
export function nextPageFrom(link: string | undefined): number | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (!match) continue;
    const page = Number(new URL(match[1]!, 'http://link.invalid').searchParams.get('page'));
    return Number.isInteger(page) && page > 0 ? page : null;
  }
  return null;
}
