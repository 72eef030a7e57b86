/**
 * Pages of people on several machines for the team e2e tests: a real relay on 127.0.0.1 (port 0,
 * in-memory storage) as a fixture, and what a person does to publish, invite, join and open a
 * project, through the UI as they would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { startRelay, type RelayHandle } from '../../sync-server/relay/relay-server';
import { createFromFirstRun } from './project-pages';
import { expect, test as base } from './web-fixtures';

export { card, column, createFromFirstRun } from './project-pages';

export { expect };

export const test = base.extend<{ relay: RelayHandle }>({
  relay: async ({}, use) => {
    const relay = await startRelay({ port: 0, host: '127.0.0.1', logger: 'silent' });
    try {
      await use(relay);
    } finally {
      await relay.close();
    }
  },
});

export const syncedIndicator = (page: Page) => page.getByRole('button', { name: /^Sync status: Synced/ });

/** Another "machine": its own browser context on its own host. */
export async function openPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Settings → Team sync, through the sidebar's sync indicator (as a user finds it). */
export async function openTeamSync(page: Page) {
  await page.getByRole('button', { name: /^Sync status:/ }).click();
  await page.getByRole('dialog', { name: 'Sync status' }).getByRole('button', { name: 'Team sync settings…' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('tab', { name: 'Team sync' })).toHaveAttribute('aria-selected', 'true');
  return { settings, panel: settings.getByRole('tabpanel', { name: 'Team sync' }) };
}

/** Settings → Team sync → Invite a teammate: the invite text the app shows. */
export async function createInvite(page: Page, role: 'member' | 'viewer', name: string): Promise<string> {
  const { settings, panel } = await openTeamSync(page);
  const form = panel.getByRole('form', { name: 'Invite a teammate' });
  await form.getByLabel('Role').selectOption(role);
  await form.getByLabel('Name (optional)').fill(name);
  await form.getByRole('button', { name: 'Create invite' }).click();
  const text = form.getByLabel('Invite for your teammate');
  await expect(text).toHaveValue(/^groundwork:\/\/join\?/, { timeout: 15_000 });
  const invite = await text.inputValue();
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  return invite;
}

/** The first-run screen's "Have an invite?" path, joining under `displayName`. */
export async function joinFromFirstRun(page: Page, invite: string, displayName = 'Ben') {
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Have an invite? Join a workspace' }).click();
  const join = page.getByRole('form', { name: /Join a teammate/ });
  await join.getByRole('textbox', { name: 'Invite link', exact: true }).fill(invite);
  await join.getByRole('textbox', { name: 'Your name' }).fill(displayName);
  await join.getByRole('button', { name: 'Join workspace' }).click();
  await expect(page.getByRole('button', { name: 'Workspace: Acme Studio' })).toBeVisible({ timeout: 30_000 });
}

export async function openProject(page: Page, name: string) {
  const link = page.getByRole('list', { name: 'Projects' }).getByRole('listitem').filter({ hasText: name });
  await expect(link).toBeVisible({ timeout: 20_000 });
  await link.getByRole('button').first().click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

export async function screenshot(page: Page, name: string, testInfo: { attach(name: string, options: { body: Buffer; contentType: string }): Promise<void> }) {
  mkdirSync('test-results', { recursive: true });
  const body = await page.screenshot({ path: join('test-results', `${name}.png`) });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

/**
 * A ("Alice") creates the workspace "Acme Studio" on the first-run screen and publishes it with
 * the relay's owner invite (what `npm run relay -- workspace create` prints), from Settings → Team sync.
 */
export async function createAndPublish(pageA: Page, url: string, relay: RelayHandle): Promise<void> {
  await pageA.goto(url);
  await createFromFirstRun(pageA, 'Acme Studio', 'Alice');
  await expect(pageA.getByRole('button', { name: /^Sync status:/ })).toHaveAccessibleName('Sync status: Local only');
  const { owner } = await relay.createWorkspace({ name: 'Acme Studio' });
  const { settings, panel } = await openTeamSync(pageA);
  const publish = panel.getByRole('form', { name: 'Publish this workspace to a relay' });
  await publish.getByRole('textbox', { name: 'Owner invite' }).fill(owner.invite);
  await publish.getByRole('button', { name: 'Publish' }).click();
  await expect(panel.getByRole('region', { name: 'Sync status of this workspace' })).toContainText('Synced', { timeout: 20_000 });
  await expect(panel.getByRole('form', { name: 'Invite a teammate' })).toBeVisible();
  await pageA.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(syncedIndicator(pageA)).toBeVisible();
}

/** createAndPublish, then A invites B (a member, "Ben") from the app and B joins on a host of its own. */
export async function publishAndJoin({ browser, pageA, hostA, hostB, relay }: { browser: Browser; pageA: Page; hostA: { url: string }; hostB: Promise<{ url: string }>; relay: RelayHandle }): Promise<Page> {
  await createAndPublish(pageA, hostA.url, relay);
  const pageB = await openPage(browser, (await hostB).url);
  await joinFromFirstRun(pageB, await createInvite(pageA, 'member', 'Ben'));
  await expect(syncedIndicator(pageB)).toBeVisible({ timeout: 20_000 });
  return pageB;
}
