/** The steps most first-hour specs start with: a workspace on a fresh host, a project in it, a task. */
import type { Page } from '@playwright/test';
import { expect } from './web-fixtures';

export const column = (page: Page, stage: string) => page.getByRole('region', { name: stage, exact: true });
export const card = (page: Page, stage: string, title: string) => column(page, stage).getByRole('listitem').filter({ hasText: title });

export async function createWorkspace(page: Page, url: string, name = 'Acme Studio') {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
}

export async function createProject(page: Page, name: string) {
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** Adds tasks through a column's quick add. */
export async function addTasks(page: Page, stage: string, titles: string[]) {
  await column(page, stage).getByRole('button', { name: /Add task/ }).click();
  const quickAdd = column(page, stage).getByRole('textbox', { name: `New task title in ${stage}` });
  for (const title of titles) {
    await quickAdd.fill(title);
    await quickAdd.press('Enter');
    await expect(card(page, stage, title)).toBeVisible();
  }
  await quickAdd.press('Escape');
}

/** The `method` calls (their args) this page sends over the API socket, as they go. */
export function recordCalls(page: Page, method: string): Array<Record<string, unknown>> {
  const sent: Array<Record<string, unknown>> = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes(`"${method}"`)) return;
      const call = JSON.parse(payload) as { method?: string; args?: Record<string, unknown> };
      if (call.method === method && call.args) sent.push(call.args);
    }),
  );
  return sent;
}
