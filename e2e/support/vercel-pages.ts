/** Settings → Vercel, as a person opens it, connects with a token (a loopback Vercel's address) and links the open project. */
import type { Locator, Page } from '@playwright/test';
import { expect } from './web-fixtures';

/** Opens Settings on its Vercel tab; returns the dialog. */
export async function openVercelSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Settings:/ }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Vercel' }).click();
  return settings;
}

/** Fills a token and the API address, and connects (the caller checks the outcome). */
export async function connectVercel(settings: Locator, token: string, baseUrl: string): Promise<void> {
  const connect = settings.getByRole('form', { name: 'Connect Vercel' });
  await connect.getByLabel('Vercel token').fill(token);
  await connect.getByLabel('API address (optional)').fill(baseUrl);
  await connect.getByRole('button', { name: 'Connect Vercel' }).click();
}

/** Links the open project to a Vercel project of the connected account, and waits until it shows. */
export async function linkVercelProject(settings: Locator, vercelProjectId: string, name: string): Promise<void> {
  const linked = settings.getByRole('region', { name: 'Linked Vercel project' });
  await linked.getByLabel('Vercel project').selectOption(vercelProjectId);
  await expect(linked).toContainText(`Linked: ${name}`);
}
