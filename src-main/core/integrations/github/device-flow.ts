/**
 * GitHub's OAuth device flow (docs: "Authorizing OAuth apps", Device flow): ask the web host for a
 * device and user code, the person enters the code on the verification page, and the app polls the
 * token endpoint until GitHub answers with a token or an end. The endpoints are on the web host
 * (github.com, or a GitHub Enterprise server's root), not the API host (octokit-client.ts
 * `githubWebUrl`). GitHub answers errors with HTTP 200 and `{ error, error_description }`.
 *
 * The device code lives only in memory: it is short-lived (15 minutes) and, like a token, no file's business.
 */
import type { Octokit } from 'octokit';
import { ApiError, type GithubDeviceFlowPoll, type GithubDeviceFlowStart } from '../../../contract';
import { githubError } from './octokit-errors';
import { githubWebUrl } from './octokit-client';

/** What the app asks for: private repos (branches, issues, deploys) and the person's organisations' repos. */
export const deviceFlowScopes = 'repo read:org';

/** GitHub's documented rule: each `slow_down` adds 5 seconds to the interval. */
const slowDownSeconds = 5;

interface OAuthAnswer {
  error?: string;
  error_description?: string;
  interval?: number;
}

export interface PendingDeviceFlow {
  clientId: string;
  deviceCode: string;
  baseUrl: string;
  interval: number;
}

export async function startDeviceFlow(client: Octokit, clientId: string, baseUrl: string): Promise<{ start: GithubDeviceFlowStart; pending: PendingDeviceFlow }> {
  const data = await oauthPost<{ device_code: string; user_code: string; verification_uri: string; expires_in: number; interval: number }>(
    client,
    baseUrl,
    '/login/device/code',
    { client_id: clientId, scope: deviceFlowScopes },
    'starting the GitHub sign-in',
  );
  if (data.error) throw refusedClient(data, 'starting the GitHub sign-in');
  return {
    start: { userCode: data.user_code, verificationUri: data.verification_uri, interval: data.interval, expiresIn: data.expires_in },
    pending: { clientId, deviceCode: data.device_code, baseUrl, interval: data.interval },
  };
}

/** One poll: a token, or GitHub's state in words. `slow_down` updates `pending.interval`. */
export async function pollDeviceFlow(client: Octokit, pending: PendingDeviceFlow): Promise<{ token: string } | Exclude<GithubDeviceFlowPoll, { state: 'connected' }>> {
  const data = await oauthPost<{ access_token?: string }>(
    client,
    pending.baseUrl,
    '/login/oauth/access_token',
    { client_id: pending.clientId, device_code: pending.deviceCode, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' },
    'waiting for the GitHub sign-in',
  );
  switch (data.error) {
    case undefined:
      if (!data.access_token) throw new ApiError('UNAVAILABLE', 'GitHub ended the sign-in without a token: start it again.');
      return { token: data.access_token };
    case 'authorization_pending':
      return { state: 'authorization_pending', interval: pending.interval, message: 'Waiting for you to enter the code on GitHub.' };
    case 'slow_down':
      // GitHub's answer carries the new interval; without it, its documented rule.
      pending.interval = typeof data.interval === 'number' && data.interval > pending.interval ? data.interval : pending.interval + slowDownSeconds;
      return { state: 'slow_down', interval: pending.interval, message: `GitHub asked to poll less often: every ${pending.interval} seconds.` };
    case 'expired_token':
      return { state: 'expired_token', message: 'The code expired before it was entered: start the sign-in again.' };
    case 'access_denied':
      return { state: 'access_denied', message: 'The sign-in was cancelled on GitHub: start it again to connect.' };
    default:
      throw refusedClient(data, 'waiting for the GitHub sign-in');
  }
}

async function oauthPost<T>(client: Octokit, baseUrl: string, path: string, body: Record<string, string>, doing: string): Promise<T & OAuthAnswer> {
  try {
    const response = await client.request(`POST ${path}`, { baseUrl: githubWebUrl(baseUrl), headers: { accept: 'application/json' }, ...body });
    return response.data as T & OAuthAnswer;
  } catch (error) {
    throw githubError(error, doing, { baseUrl });
  }
}

/** The errors that are the app's setup, not the person's: the client id or the app's settings. */
function refusedClient(data: OAuthAnswer, doing: string): ApiError {
  const said = data.error_description ?? data.error ?? 'no reason given';
  if (data.error === 'incorrect_client_credentials' || data.error === 'device_flow_disabled' || data.error === 'unauthorized_client') {
    return new ApiError(
      'VALIDATION',
      `clientId: GitHub refused it while ${doing} (${said}). Use the client id of an OAuth app with device flow enabled (Settings → GitHub), or paste a personal access token instead.`,
      { field: 'clientId', githubError: data.error },
    );
  }
  return new ApiError('UNAVAILABLE', `GitHub refused ${doing} (${said}, ${data.error}): start the sign-in again.`, { githubError: data.error });
}
