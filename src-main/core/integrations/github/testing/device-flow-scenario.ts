/**
 * The device flow as GitHub documents it (no real recording exists: fixtures/README.md), served as
 * a GitHub Enterprise server so the test also checks that the OAuth endpoints are found on the web
 * host: `https://ghe.example/login/…` for the API `https://ghe.example/api/v3`.
 */
import { readFileSync } from 'node:fs';
import { recorded, type RecordedExchange } from './octokit-replay-server';

const documented = JSON.parse(readFileSync(new URL('./fixtures/device-flow.json', import.meta.url), 'utf8')) as {
  device_code_request: { response_accept_application_json: Record<string, unknown> };
  access_token_poll: { success_accept_application_json: Record<string, unknown>; error_codes: Record<string, string> };
};

export const gheScope = 'https://ghe.example:443';
export const documentedDeviceCode = documented.device_code_request.response_accept_application_json;
export const documentedToken = String(documented.access_token_poll.success_accept_application_json.access_token);
const json = { 'content-type': 'application/json; charset=utf-8' };

const exchange = (method: string, path: string, response: unknown, body?: unknown): RecordedExchange => ({
  scope: gheScope,
  method,
  path,
  ...(body === undefined ? {} : { body }),
  status: 200,
  response,
  reqheaders: {},
  responseIsBinary: false,
  headers: { ...json },
});

/** The documented device-code answer, its verification page on the GHE host. */
export function deviceCodeExchange(clientId: string): RecordedExchange {
  return exchange(
    'post',
    '/login/device/code',
    { ...documentedDeviceCode, verification_uri: 'https://ghe.example/login/device' },
    { client_id: clientId, scope: 'repo read:org' },
  );
}

/** A poll answered with one of GitHub's documented error codes (HTTP 200, `{ error, error_description }`). */
export function pollError(code: string, extra: Record<string, unknown> = {}): RecordedExchange {
  const description = documented.access_token_poll.error_codes[code];
  if (!description) throw new Error(`not a documented device-flow error: ${code}`);
  return exchange('post', '/login/oauth/access_token', { error: code, error_description: description, ...extra });
}

export const pollSuccess = (): RecordedExchange => exchange('post', '/login/oauth/access_token', documented.access_token_poll.success_accept_application_json);

/** The recorded GET /user, as the GHE server's API answers it. */
export function gheUser(): RecordedExchange {
  const [user] = recorded('user-get-2023.json');
  return { ...user!, scope: gheScope, path: '/api/v3/user' };
}
