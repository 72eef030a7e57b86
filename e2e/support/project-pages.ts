/** What a person does first on a fresh host: a workspace, a project, a few tasks — through the UI. */
import type { Page } from '@playwright/test';
import { expect } from './web-fixtures';

export const column = (page: Page, stage: string) => page.getByRole('region', { name: stage, exact: true });
/**
 * Two animation frames: React's effects after a render have run (dnd-kit measures the columns
 * after a pick-up; a virtualised list follows a scroll on the next frame). Typed without the DOM.
 */
export const nextFrames = (page: Page) =>
  page.evaluate(() => {
    const { requestAnimationFrame: frame } = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
    return new Promise<void>((resolve) => frame(() => frame(resolve)));
  });
export const card = (page: Page, stage: string, title: string) => column(page, stage).getByRole('listitem').filter({ hasText: title });

/** The first-run screen's create path: a workspace, made by someone called `displayName`. */
export async function createFromFirstRun(page: Page, workspaceName: string, displayName: string) {
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Workspace name').fill(workspaceName);
  await page.getByRole('textbox', { name: 'Your name' }).fill(displayName);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
}

/** First run (by "Ana") → workspace "Acme Studio" → project "Website" (key WEB), its board on screen. */
export async function startWebsiteProject(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await createFromFirstRun(page, 'Acme Studio', 'Ana');
  await createProject(page, 'Website');
}

/** New project → `name`, its board on screen. */
export async function createProject(page: Page, name: string) {
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** Tasks through a column's quick add, in order. */
export async function quickAdd(page: Page, stage: string, titles: string[]): Promise<void> {
  await column(page, stage).getByRole('button', { name: /Add task/ }).click();
  const input = column(page, stage).getByRole('textbox', { name: `New task title in ${stage}` });
  for (const title of titles) {
    await input.fill(title);
    await input.press('Enter');
    await expect(card(page, stage, title)).toBeVisible();
  }
  await input.press('Escape');
}
