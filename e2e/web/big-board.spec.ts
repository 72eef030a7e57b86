/**
 * A board of a few hundred tasks opens with each column's first window (before the whole project
 * is read, which does not undo a change made meanwhile) and renders only a window of each column's cards, yet a card still
 * moves between columns and down a long column with the keyboard (heard through dnd-kit's
 * announcements), every card can be reached by scrolling its column, and a new task opens
 * scrolled into view.
 */
import type { Locator, Page } from '@playwright/test';
import { holdReplies } from '../support/held-replies';
import { connectHostApi } from '../support/host-api';
import { column, nextFrames } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

const TASKS = 300;
const title = (n: number) => `Big task ${String(n).padStart(3, '0')}`;
const cards = (page: Page, stage: string) => column(page, stage).getByRole('listitem');
/** Until the list's smooth scroll (dnd-kit's, following a keyboard move) has stopped: its position unchanged for a few frames, at most ~2 s. */
const scrollSettled = (list: Locator) =>
  list.evaluate((ul) => {
    const { requestAnimationFrame: frame } = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
    return new Promise<void>((resolve) => {
      let last = -1;
      let still = 0;
      let frames = 0;
      const check = () => {
        still = ul.scrollTop === last ? still + 1 : 0;
        last = ul.scrollTop;
        if (still >= 4 || ++frames > 120) resolve();
        else frame(check);
      };
      frame(check);
    });
  });
test(`a board of ${TASKS} tasks renders a window of cards; keyboard drag and drop and scrolling reach them all`, async ({ page, webHost }) => {
  const client = await connectHostApi(webHost);
  let projectId: string;
  const ids: string[] = [];
  try {
    const workspace = await client.api.workspaces.create({ name: 'Big' });
    const project = await client.api.projects.create({ workspaceId: workspace.id, name: 'Big board' });
    projectId = project.id;
    const todo = (await client.api.stages.list({ projectId })).find((s) => s.name === 'Todo')!;
    for (let n = 1; n <= TASKS; n++) ids.push((await client.api.tasks.create({ projectId, stageId: todo.id, title: title(n) })).id);
  } finally {
    client.close();
  }

  // The board shows each column's first window before the whole project is read: here the
  // whole project's reply is held back, and the first cards and the right counts show meanwhile.
  const wholeProject = await holdReplies(page, 'tasks.list');
  await page.goto(`${webHost.url}#/project/${projectId}/board`);
  await expect(cards(page, 'Todo').first()).toHaveText(new RegExp(title(1)), { timeout: 30_000 });
  await expect(column(page, 'Todo').getByLabel(`${TASKS} tasks`)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `Loading ${TASKS} tasks…` })).toBeVisible();
  // A teammate labels a task while the whole project is still being read: that read began
  // before the change, so when it arrives the change must stay.
  const teammate = await connectHostApi(webHost);
  try {
    await teammate.api.tasks.update({ id: ids[2]!, labels: ['changed-while-loading'] });
  } finally {
    teammate.close();
  }
  const third = cards(page, 'Todo').filter({ hasText: title(3) });
  await expect(third).toContainText('changed-while-loading');
  wholeProject.release();
  await expect(page.getByRole('status').filter({ hasText: `${TASKS} of ${TASKS} tasks` })).toBeVisible();
  await expect(third).toContainText('changed-while-loading');
  await expect(column(page, 'Todo').getByLabel(`${TASKS} tasks`)).toBeVisible();

  // Only a window of the column is in the DOM (the viewport holds about a dozen cards).
  const rendered = await cards(page, 'Todo').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(60);

  // Keyboard drag and drop to the next column, step by step as a screen reader user hears it.
  await cards(page, 'Todo').first().getByRole('button').first().focus();
  const announcer = page.getByRole('status').filter({ hasText: new RegExp(`“${title(1)}”`) });
  await page.keyboard.press('Space');
  // dnd-kit announces the pick-up, then at once that it is over its own place.
  await expect(announcer).toHaveText(new RegExp(`(Picked up “${title(1)}”,|“${title(1)}” is now at) position 1 of ${TASKS} in Todo`));
  // dnd-kit's keyboard sensor listens for the arrows from the task after the pick-up.
  await nextFrames(page);
  await page.keyboard.press('ArrowRight');
  await expect(announcer).toContainText('in In Progress');
  await page.keyboard.press('Space');
  await expect(announcer).toContainText(`Dropped “${title(1)}” in In Progress`);
  await expect(cards(page, 'In Progress')).toHaveText([new RegExp(title(1))]);
  await expect(column(page, 'Todo').getByLabel(`${TASKS - 1} tasks`)).toBeVisible();

  // Down a long column past its first window: the column scrolls under the moving card, which
  // stays mounted, and drops 20 places down.
  await cards(page, 'Todo').first().getByRole('button').first().focus();
  const second = page.getByRole('status').filter({ hasText: new RegExp(`“${title(2)}”`) });
  await page.keyboard.press('Space');
  await expect(second).toContainText('position 1 of');
  await nextFrames(page);
  for (let step = 1; step <= 20; step++) {
    await page.keyboard.press('ArrowDown');
    await expect(second).toContainText(`position ${step + 1} of ${TASKS - 1} in Todo`);
    await scrollSettled(column(page, 'Todo').getByRole('list'));
  }
  await page.keyboard.press('Space');
  await expect(second).toContainText(`Dropped “${title(2)}” in Todo`);
  const shown = (await cards(page, 'Todo').allInnerTexts()).map((text) => /Big task \d{3}/.exec(text)?.[0]);
  expect(shown[shown.indexOf(title(2)) - 1]).toBe(title(22));

  // Every other card comes into the DOM as the column scrolls: a bounded walk to the bottom.
  const list = column(page, 'Todo').getByRole('list');
  await list.evaluate((ul) => ul.scrollTo(0, 0));
  await nextFrames(page);
  const seen = new Set<string>();
  for (let step = 0; step < 200; step++) {
    for (const text of await cards(page, 'Todo').allInnerTexts()) {
      const match = /Big task \d{3}/.exec(text);
      if (match) seen.add(match[0]);
    }
    const atBottom = await list.evaluate((ul) => ul.scrollTop + ul.clientHeight >= ul.scrollHeight - 1);
    if (atBottom) break;
    await list.evaluate((ul) => ul.scrollBy(0, ul.clientHeight * 0.75));
    await nextFrames(page);
  }
  const expected = Array.from({ length: TASKS - 1 }, (_, i) => title(i + 2)).sort();
  expect([...seen].sort()).toEqual(expected);

  // A task made with New task lands at the end of the column; it opens scrolled into view.
  await list.evaluate((ul) => ul.scrollTo(0, 0));
  await nextFrames(page);
  await page.getByRole('button', { name: 'New task', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill('Brand new task');
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('complementary', { name: /^Task / })).toBeVisible();
  await expect(cards(page, 'Todo').filter({ hasText: 'Brand new task' })).toBeInViewport();
});
