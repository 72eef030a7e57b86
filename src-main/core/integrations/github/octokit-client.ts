/**
 * The one way the core makes an Octokit: the API address (GitHub or a GitHub Enterprise server),
 * the person's token, our user agent, `fetch` from the core's port (so hosts and tests decide where
 * requests go), and octokit's throttling with our waiting policy. Every GitHub call of the core goes
 * through a client made here, so rate limits are respected in one place.
 */
import { Octokit } from 'octokit';
import type { Logger } from '../../ports';

export const defaultGithubBaseUrl = 'https://api.github.com';
export const githubUserAgent = 'Groundwork';

/** What the composition root decides about GitHub (CorePorts.github). */
export interface GithubPorts {
  /** The OAuth app's client id for the device flow (hosts pass GROUNDWORK_GITHUB_CLIENT_ID). */
  clientId?: string;
  /** Octokit's retries of 5xx and 429 answers (default on; tests turn them off: a 500 would cost ~14 s). */
  retries?: boolean;
  /**
   * The longest wait for a rate limit (seconds) before a call fails instead. Default 60: a sync job
   * can wait out a minute; a quota that resets in half an hour must say so rather than hang.
   */
  maxRateLimitWaitSeconds?: number;
}

export interface GithubClientOptions {
  baseUrl: string;
  /** None for the device flow's own requests (they are authorised by the client id). */
  token?: string | null;
  fetch: typeof fetch;
  logger: Logger;
  ports?: GithubPorts;
  /** Every response's headers (also of errors): the rate limit and scopes shown to the person. */
  onHeaders?(headers: Record<string, string | number | undefined>): void;
}

/** API address without a trailing slash, so the web host derived from it is exact. */
export const normalBaseUrl = (baseUrl: string | undefined) => (baseUrl ?? defaultGithubBaseUrl).replace(/\/+$/, '');

/**
 * The web host of an API address, where the OAuth (device flow) endpoints live: api.github.com →
 * github.com; a GitHub Enterprise Cloud api.<x>.ghe.com → <x>.ghe.com; a GitHub Enterprise Server
 * https://ghe.example/api/v3 → https://ghe.example (GitHub's documented layout, and the rule of
 * @octokit/oauth-methods).
 */
export function githubWebUrl(baseUrl: string): string {
  const api = normalBaseUrl(baseUrl);
  if (/^https:\/\/api\.github\.com$/i.test(api)) return 'https://github.com';
  if (/^https:\/\/api\.[^/]+\.ghe\.com$/i.test(api)) return api.replace(/^https:\/\/api\./i, 'https://');
  return api.replace(/\/api\/v3$/i, '');
}

export function githubClient(options: GithubClientOptions): Octokit {
  const maxWait = options.ports?.maxRateLimitWaitSeconds ?? 60;
  // Wait (once) when GitHub's wait is short; otherwise let the 403/429 through, and
  // octokit-errors.ts turns it into UNAVAILABLE naming when the quota resets. A computed wait of
  // 0 means the reset time is unknown or long past: retrying would only spend another request.
  const waitIfShort = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const wait = retryAfter > 0 && retryAfter <= maxWait && retryCount === 0;
    options.logger.warn({ kind, retryAfter, method: request.method, url: request.url, wait }, 'GitHub rate limit');
    return wait;
  };
  const octokit = new Octokit({
    baseUrl: normalBaseUrl(options.baseUrl),
    ...(options.token ? { auth: options.token } : {}),
    userAgent: githubUserAgent,
    request: { fetch: options.fetch },
    retry: { enabled: options.ports?.retries ?? true },
    throttle: { onRateLimit: waitIfShort('primary'), onSecondaryRateLimit: waitIfShort('secondary') },
    // Octokit's own messages go to our logger (never the console); they carry no token.
    log: {
      debug: (message: string) => options.logger.debug({ github: message }),
      info: (message: string) => options.logger.info({ github: message }),
      warn: (message: string) => options.logger.warn({ github: message }),
      error: (message: string) => options.logger.error({ github: message }),
    },
  });
  if (options.onHeaders) {
    const onHeaders = options.onHeaders;
    octokit.hook.after('request', (response) => onHeaders(response.headers));
    octokit.hook.error('request', (error) => {
      const headers = (error as { response?: { headers?: Record<string, string | number | undefined> } }).response?.headers;
      if (headers) onHeaders(headers);
      throw error;
    });
  }
  return octokit;
}
