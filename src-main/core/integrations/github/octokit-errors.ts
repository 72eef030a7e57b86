/**
 * GitHub's answers in words: every failure of a GitHub call leaves the core as an ApiError that
 * says what happened and what to do (DESIGN.md: a clear message, never a stack trace), and the
 * headers every answer carries are read here (rate limit, scopes).
 */
import { RequestError } from 'octokit';
import { ApiError } from '../../../contract';

type Headers = Record<string, string | number | undefined>;

const header = (headers: Headers | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
};

/** `x-oauth-scopes: repo, user` → ['repo', 'user']; none (fine-grained tokens) → []. */
export function scopesFrom(headers: Headers | undefined): string[] | null {
  const value = header(headers, 'x-oauth-scopes');
  if (value === undefined) return null;
  return value
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
}

/**
 * The rate limit an answer reports. `x-ratelimit-reset` is epoch seconds; recordings normalised
 * by @octokit/fixtures carry milliseconds, which are told apart by size (seconds stay below 1e11
 * until the year 5138).
 */
export function rateLimitFrom(headers: Headers | undefined): { remaining: number | null; resetAt: string | null } | null {
  const remaining = header(headers, 'x-ratelimit-remaining');
  if (remaining === undefined) return null;
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset < 1e11 ? reset * 1000 : reset).toISOString() : null;
  const count = Number(remaining);
  return { remaining: Number.isFinite(count) ? count : null, resetAt };
}

/**
 * An error of a GitHub call as an ApiError. `doing` names the action for the message
 * ("listing your repos"); `tokenField` is set when the token was the caller's input (connectToken),
 * so a refused one is VALIDATION naming it rather than a stored token gone bad.
 */
export function githubError(error: unknown, doing: string, options: { baseUrl: string; tokenField?: string }): ApiError {
  if (error instanceof ApiError) return error;
  // octokit reports a network failure as a RequestError with status 500 and no response.
  if (!(error instanceof RequestError) || (error.status === 500 && !error.response)) return unreachable(error, doing, options.baseUrl);
  const status = error.status;
  const headers = error.response?.headers as Headers | undefined;
  const said = gitHubMessage(error);
  const details = { status, githubMessage: said };
  if (status === 401) {
    if (options.tokenField) {
      return new ApiError(
        'VALIDATION',
        `${options.tokenField}: GitHub did not accept this token (${said}). Check that it was copied whole and has not expired or been revoked, or create a new one on GitHub (Settings → Developer settings → Personal access tokens).`,
        { ...details, field: options.tokenField },
      );
    }
    return new ApiError('UNAVAILABLE', `GitHub no longer accepts the stored token while ${doing} (${said}): it was revoked or has expired. Connect GitHub again.`, details);
  }
  const limit = rateLimitFrom(headers);
  const retryAfter = Number(header(headers, 'retry-after'));
  if ((status === 403 || status === 429) && limit?.remaining === 0) {
    const when = limit.resetAt ? `it resets at ${limit.resetAt}` : 'GitHub did not say when it resets (within the hour)';
    return new ApiError('UNAVAILABLE', `GitHub's rate limit for this token is used up while ${doing} (${said}); ${when}. Try again then.`, {
      ...details,
      resetAt: limit.resetAt,
    });
  }
  if ((status === 403 || status === 429) && (Number.isFinite(retryAfter) || /secondary rate|abuse/i.test(said))) {
    const wait = Number.isFinite(retryAfter) ? retryAfter : 60;
    return new ApiError('UNAVAILABLE', `GitHub asks to slow down while ${doing} (${said}): try again in ${wait} seconds.`, {
      ...details,
      retryAfterSeconds: wait,
      resetAt: null,
    });
  }
  if (status === 403) {
    const sso = header(headers, 'x-github-sso');
    const why = sso ? ' The organisation uses SAML single sign-on: authorise the token for it on GitHub.' : ' The token may lack a scope or permission for this.';
    return new ApiError('FORBIDDEN', `GitHub refused ${doing} (${said}).${why}`, details);
  }
  if (status === 404) return new ApiError('NOT_FOUND', `GitHub found nothing while ${doing} (${said}): it is gone, or the token cannot see it.`, details);
  if (status === 422) return new ApiError('VALIDATION', `GitHub refused ${doing}: ${said}`, details);
  if (status >= 500) return new ApiError('UNAVAILABLE', `GitHub failed while ${doing} (${status} ${said}): try again later.`, details);
  return new ApiError('UNAVAILABLE', `GitHub answered ${status} while ${doing} (${said}).`, details);
}

function gitHubMessage(error: RequestError): string {
  const data = error.response?.data as { message?: unknown } | string | undefined;
  if (data && typeof data === 'object' && typeof data.message === 'string') return data.message;
  return error.message;
}

function unreachable(error: unknown, doing: string, baseUrl: string): ApiError {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new ApiError('UNAVAILABLE', `GitHub could not be reached at ${baseUrl} while ${doing} (${cause}). Check the network, or the GitHub Enterprise address.`, {
    status: null,
  });
}
