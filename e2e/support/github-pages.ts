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
