/**
 * Settings → GitHub → Sign in with GitHub (OAuth device flow) in Chromium, against a loopback
 * server serving GitHub's documented device-flow answers as a GitHub Enterprise server (no real
 * recording exists: core/integrations/github/testing/fixtures/README.md). The client id is typed
 * into its field (kept as the `github-client-id` preference), the replay checks it was sent.
 * Polls follow GitHub's interval (5 s), so these tests wait in real time.
 */
import type { Page } from '@playwright/test';
import { deviceCodeExchange, gheUser, pollError, pollSuccess } from '../../src-main/core/integrations/github/testing/device-flow-scenario';
import { startReplayServer, type ReplayServer } from '../../src-main/core/integrations/github/testing/octokit-replay-server';
import { describeViolations, seriousViolations } from '../support/axe-in-page';
import { startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

const clientId = 'Iv1.e2eDeviceFlow';

let replay: ReplayServer;
test.beforeAll(async () => {
  replay = await startReplayServer({
    approved: [deviceCodeExchange(clientId), pollError('authorization_pending'), pollError('slow_down', { interval: 10 }), pollSuccess(), gheUser()],
    denied: [deviceCodeExchange(clientId), pollError('access_denied')],
    cancelled: [deviceCodeExchange(clientId)],
  });
});
test.afterAll(async () => {
  await replay?.close();
});

/** Settings → GitHub, its Connect region. */
async function openGithubSettings(page: Page) {
  await page.getByRole('button', { name: /^Settings:/ }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'GitHub' }).click();
  return settings;
}

/** The API address of a freshly loaded scenario: the GHE server's `/api/v3` under the replay URL. */
const gheApi = async (scenario: string) => `${await replay.load(scenario)}/api/v3`;

test('sign in with GitHub: the code, its link and countdown, waiting through slow_down, then the account', async ({ page, webHost }) => {
  test.setTimeout(120_000);
  await startWebsiteProject(page, webHost.url);
  const settings = await openGithubSettings(page);
  const connect = settings.getByRole('region', { name: 'Connect GitHub' });
  const baseUrl = await gheApi('approved');
  await connect.getByLabel('GitHub Enterprise API address').fill(baseUrl);
  const signIn = connect.getByRole('form', { name: 'Sign in with GitHub' });
  await signIn.getByLabel('OAuth app client id (optional)').fill(clientId);
  await signIn.getByRole('button', { name: 'Sign in with GitHub' }).click();

  const flow = settings.getByRole('region', { name: 'GitHub sign-in' });
  await expect(flow.getByLabel('Your code')).toHaveText('WDJB-MJHT');
  const web = baseUrl.replace(/\/api\/v3$/, '');
  await expect(flow.getByRole('link', { name: /^Open .*\/login\/device$/ })).toHaveAttribute('href', `${web}/login/device`);
  await expect(flow.getByRole('timer')).toHaveText(/expires in 1[45]:\d\d/);
  await expect(flow.getByRole('status')).toContainText('Waiting for you');
  await expect(flow.getByRole('status')).toContainText('Checking every 5 s');

  // pending after 5 s, then slow_down: the new interval is GitHub's, and the next poll waits for it.
  await expect(flow.getByRole('status')).toContainText('Checking every 10 s', { timeout: 20_000 });
  await expect(flow.getByRole('status')).toContainText('Waiting for you');

  const connection = settings.getByRole('region', { name: 'GitHub connection' });
  await expect(connection).toContainText('as EnricoMi', { timeout: 25_000 });
  await expect(flow).toHaveCount(0);

  // The client id was kept on this machine: after disconnecting, the field still holds it.
  await connection.getByRole('button', { name: 'Disconnect' }).click();
  await expect(connect.getByLabel('OAuth app client id (optional)')).toHaveValue(clientId);
});

test('a denied sign-in says so and offers to start again; the waiting screen passes axe; Cancel stops a sign-in', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  const settings = await openGithubSettings(page);
  const connect = settings.getByRole('region', { name: 'Connect GitHub' });
  await connect.getByLabel('GitHub Enterprise API address').fill(await gheApi('denied'));
  const signIn = connect.getByRole('form', { name: 'Sign in with GitHub' });
  await signIn.getByLabel('OAuth app client id (optional)').fill(clientId);
  await signIn.getByRole('button', { name: 'Sign in with GitHub' }).click();
  const flow = settings.getByRole('region', { name: 'GitHub sign-in' });
  await expect(flow.getByLabel('Your code')).toHaveText('WDJB-MJHT');

  // GitHub answers access_denied at the first poll: the flow is over, in words, with Start again.
  await expect(signIn.getByRole('alert')).toContainText('cancelled', { timeout: 20_000 });
  await expect(flow).toHaveCount(0);
  await expect(settings.getByRole('region', { name: 'GitHub connection' })).toHaveCount(0);

  // Start again (a new code), then Cancel: back to the form, nothing connected.
  await connect.getByLabel('GitHub Enterprise API address').fill(await gheApi('cancelled'));
  await signIn.getByRole('button', { name: 'Start again' }).click();
  await expect(flow.getByLabel('Your code')).toHaveText('WDJB-MJHT');
  // The waiting screen passes axe too (its first poll is 5 s away; this scenario answers none).
  const violations = await seriousViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
  await flow.getByRole('button', { name: 'Cancel' }).click();
  await expect(flow).toHaveCount(0);
  await expect(signIn.getByRole('button', { name: 'Sign in with GitHub' })).toBeVisible();
});

test('a client id GitHub does not know is refused beside its field', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  const settings = await openGithubSettings(page);
  const signIn = settings.getByRole('form', { name: 'Sign in with GitHub' });
  const field = signIn.getByLabel('OAuth app client id (optional)');
  await field.fill('not a client id');
  await signIn.getByRole('button', { name: 'Sign in with GitHub' }).click();
  await expect(field).toHaveAccessibleDescription(/client id/i);
  await expect(settings.getByRole('region', { name: 'GitHub sign-in' })).toHaveCount(0);
});
