/**
 * Density and polish: the default board fits at 1280 px or says there is more, new stages go
 * before Done, label colours match everywhere, overdue shows in the List, the favicon is served
 * and the theme choice applies at once and is remembered.
 */
import { expect, test } from '../support/web-fixtures';
import { addTasks, card, column, createProject, createWorkspace } from '../support/first-run';

test.use({ viewport: { width: 1280, height: 800 } });

const stageOrder = (page: import('@playwright/test').Page) =>
  page.locator('section[role="region"][aria-label]').evaluateAll((sections) => sections.map((s) => s.getAttribute('aria-label')));

test('the default five columns fit at 1280 px; more stages go before Done and the board says there are more', async ({ page, webHost }) => {
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  const board = page.getByLabel('Board', { exact: true });
  const boardBox = (await board.boundingBox())!;
  for (const stage of ['Backlog', 'Todo', 'In Progress', 'In Review', 'Done']) {
    const box = (await column(page, stage).boundingBox())!;
    expect(box.x + box.width, `${stage} is fully on screen`).toBeLessThanOrEqual(boardBox.x + boardBox.width);
  }
  await expect(page.getByRole('button', { name: 'More stages →' })).toHaveCount(0);

  for (const name of ['QA', 'Staging']) {
    await page.getByRole('button', { name: '+ Add stage' }).click();
    await page.getByLabel('New stage name').fill(name);
    await page.getByLabel('New stage name').press('Enter');
    await expect(column(page, name)).toBeVisible();
  }
  await expect.poll(() => stageOrder(page)).toEqual(['Backlog', 'Todo', 'In Progress', 'In Review', 'QA', 'Staging', 'Done']);
  // Adding a stage scrolled to the Add stage form at the end; from the start, Done is off screen.
  await board.evaluate((el) => el.scrollTo({ left: 0 }));
  const hint = page.getByRole('button', { name: 'More stages →' });
  await expect(hint).toBeVisible();
  await board.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect(hint).toHaveCount(0);
});

test('labels have one colour everywhere; overdue shows in the List; the favicon is served', async ({ page, webHost }) => {
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  await addTasks(page, 'Todo', ['Design homepage', 'Write copy']);
  for (const [title, labels] of [['Design homepage', ['design', 'bug']], ['Write copy', ['bug']]] as const) {
    await card(page, 'Todo', title).click();
    const panel = page.getByRole('complementary', { name: /^Task WEB-/ });
    for (const label of labels) {
      await panel.getByLabel('Add label').fill(label);
      await panel.getByLabel('Add label').press('Enter');
    }
    if (title === 'Write copy') {
      await panel.getByLabel('Due date').fill('2020-01-15');
      await panel.getByLabel('Due date').press('Enter');
    }
    await page.keyboard.press('Escape');
  }
  const dot = (chip: import('@playwright/test').Locator) => chip.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el, '::before').backgroundColor);
  const onBoard = (title: string, label: string) => card(page, 'Todo', title).locator('.label-chip', { hasText: label });
  const bug = await dot(onBoard('Design homepage', 'bug'));
  expect(await dot(onBoard('Write copy', 'bug'))).toBe(bug);
  expect(await dot(onBoard('Design homepage', 'design'))).not.toBe(bug);

  await page.getByRole('tab', { name: 'List' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Write copy' });
  expect(await dot(row.locator('.label-chip', { hasText: 'bug' }))).toBe(bug);
  await expect(row.getByRole('cell').filter({ hasText: 'Jan 15, 2020' })).toContainText('overdue');
  await expect(page.getByRole('row').filter({ hasText: 'Design homepage' })).not.toContainText('overdue');

  const icon = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute('href');
  const response = await page.request.get(new URL(icon!, page.url()).href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('image/svg+xml');
});

test('the theme choice applies at once and is remembered on this machine', async ({ page, webHost, browser }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await createWorkspace(page, webHost.url);
  const background = () => page.locator('body').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
  const light = await background();
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(background).not.toBe(light);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('Escape');

  const context = await browser.newContext({ colorScheme: 'light' });
  const fresh = await context.newPage();
  await fresh.goto(webHost.url);
  await expect(fresh.getByRole('button', { name: 'Settings' })).toBeVisible({ timeout: 30_000 });
  await expect(fresh.locator('html')).toHaveAttribute('data-theme', 'dark');
  // "System" follows the OS again.
  await fresh.getByRole('button', { name: 'Settings' }).click();
  await fresh.getByRole('dialog', { name: 'Settings' }).getByRole('radio', { name: 'System' }).check();
  await expect(fresh.locator('html')).toHaveAttribute('data-theme', 'light');
  await context.close();
});

test.describe('with the demo workspace', () => {
  test.use({ demo: true });

  test('avatars are whole: no teammate is hidden under the next avatar, on the Board or in the List', async ({ page, webHost }) => {
    await page.goto(webHost.url);
    await page.getByRole('list', { name: 'Projects' }).getByRole('listitem').filter({ hasText: 'Website Redesign' }).getByRole('button').first().click();
    /** For each avatar of several side by side: does the point just inside its right edge show that avatar? */
    const wholeAvatars = (scope: import('@playwright/test').Locator) =>
      scope.locator('.avatars').evaluateAll((groups) =>
        groups
          .filter((group) => {
            // Groups on screen only (not scrolled out of a column or the table).
            const box = group.getBoundingClientRect();
            const hit = group.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return group.children.length > 1 && hit !== null && group.contains(hit);
          })
          .flatMap((group) =>
            [...group.children].map((avatar) => {
              const box = avatar.getBoundingClientRect();
              const hit = avatar.ownerDocument.elementFromPoint(box.right - 2, box.top + box.height / 2);
              return hit === avatar || avatar.contains(hit);
            }),
          ),
      );
    const board = page.getByLabel('Board', { exact: true });
    await expect(board.locator('.avatars .avatar').first()).toBeVisible({ timeout: 30_000 });
    const onBoard = await wholeAvatars(board);
    expect(onBoard.length).toBeGreaterThan(1);
    expect(onBoard.every(Boolean)).toBe(true);
    await page.getByRole('tab', { name: 'List' }).click();
    const table = page.getByRole('table', { name: 'Tasks' });
    await expect(table.locator('.avatars .avatar').first()).toBeVisible();
    const inList = await wholeAvatars(table);
    expect(inList.length).toBeGreaterThan(1);
    expect(inList.every(Boolean)).toBe(true);
  });
});
