/** Who a token belongs to: GET /user, with the scopes and rate limit its answer reports. */
import type { Octokit } from 'octokit';
import type { GithubAccount } from '../../../contract';
import { githubError, rateLimitFrom, scopesFrom } from './octokit-errors';

/** `tokenField`: the token was the caller's input, so a refusal names it (see githubError). */
export async function checkToken(client: Octokit, baseUrl: string, tokenField?: string): Promise<GithubAccount> {
  try {
    const response = await client.request('GET /user');
    const headers = response.headers as Record<string, string | number | undefined>;
    return {
      login: response.data.login,
      scopes: scopesFrom(headers) ?? [],
      rateLimit: rateLimitFrom(headers) ?? { remaining: null, resetAt: null },
      baseUrl,
    };
  } catch (error) {
    throw githubError(error, 'checking the token', { baseUrl, tokenField });
  }
}
