/** Settings → GitHub, as a person opens it and connects with a token (a loopback GitHub's address as the Enterprise address). */
import type { Locator, Page } from '@playwright/test';

/** Opens Settings on its GitHub tab; returns the dialog. */
export async function openGithubSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Settings:/ }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'GitHub' }).click();
  return settings;
}

/** Fills the Enterprise address and a token, and connects (the caller checks the outcome). */
export async function connectWithToken(settings: Locator, baseUrl: string, token = 'ghu_acceptedToken000'): Promise<void> {
  const connect = settings.getByRole('region', { name: 'Connect GitHub' });
  await connect.getByLabel('GitHub Enterprise API address').fill(baseUrl);
  const tokenForm = connect.getByRole('form', { name: 'Connect with a token' });
  await tokenForm.getByLabel('Personal access token').fill(token);
  await tokenForm.getByRole('button', { name: 'Connect' }).click();
}

/**
 * Links `repo` to the Website project in the open Settings, closes them, and syncs it from the
 * project's Code tab (the loopback GitHub answers with its recorded scenario).
 */
export async function linkRepoAndSync(page: Page, settings: Locator, repo: string): Promise<void> {
  const repos = settings.getByRole('region', { name: 'Repos linked to Website' });
  await repos.getByLabel('Repo (owner/name)').fill(repo);
  await repos.getByRole('button', { name: 'Link repo' }).click();
  await repos.getByRole('listitem').filter({ hasText: repo }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText('Synced 1 repo.').waitFor({ timeout: 30_000 });
}
