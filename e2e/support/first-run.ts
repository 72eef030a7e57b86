/** The steps most first-hour specs start with: a workspace on a fresh host, a project in it, a task. */
import type { Page } from '@playwright/test';
import { expect } from './web-fixtures';

// The columns, cards, quick add and project creation are project-pages.ts's (one copy for every spec).
export { card, column, createProject, quickAdd as addTasks } from './project-pages';

export async function createWorkspace(page: Page, url: string, name = 'Acme Studio') {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
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
