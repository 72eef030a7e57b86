/**
 * The project overview: status, client, dates with what is left, tasks done, deliverables, tags,
 * description and notes, edited where they show. Each edit sends only its own field; notes go as
 * an edit of the text they were typed on ({ base, value }), so they merge with a teammate's typing.
 */
import { expect, test } from '../support/web-fixtures';
import { addTasks, createProject, createWorkspace, recordCalls } from '../support/first-run';

test('the overview shows the project at a glance and edits it in place, one field per change', async ({ page, webHost }) => {
  const updates = recordCalls(page, 'projects.update');
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  await addTasks(page, 'Todo', ['Design homepage', 'Write copy']);
  const overview = page.getByRole('region', { name: 'Project overview' });
  await expect(overview).toContainText('0/2 tasks done');

  await overview.getByRole('button', { name: 'Overview' }).click();
  await overview.getByLabel('Status').selectOption('in_progress');
  await overview.getByLabel('Client / contact').fill('Acme Corp');
  await overview.getByLabel('Client / contact').press('Enter');
  await overview.getByLabel('Start date').fill('2020-01-01');
  await overview.getByLabel('End date').fill('2999-12-31');
  await overview.getByLabel('End date').press('Enter');
  await overview.getByLabel('New deliverable').fill('Homepage live');
  await overview.getByLabel('New deliverable').press('Enter');
  // Checked once the core has saved it (the checkbox shows the project as it is).
  await overview.getByLabel('Done: Homepage live').click();
  await expect(overview.getByLabel('Done: Homepage live')).toBeChecked();
  await overview.getByLabel('Add tag').fill('web');
  await overview.getByLabel('Add tag').press('Enter');
  await overview.getByLabel('Notes').fill('Kickoff on Monday');
  await overview.getByLabel('Notes').blur();

  await expect(page.locator('.project-header .status-pill').first()).toHaveText('In progress');
  await expect(overview).toContainText('Client: Acme Corp');
  await expect(overview).toContainText(/\d+ days left/);
  await expect(overview).toContainText('1/1 deliverables');
  await expect(overview.locator('.tag-chip')).toHaveText(['web']);

  // Every call carried one field, and the notes an edit of what they were typed on.
  await expect.poll(() => updates.length).toBe(8);
  expect(updates.map((u) => Object.keys(u).filter((k) => k !== 'id'))).toEqual([
    ['status'],
    ['clientName'],
    ['startDate'],
    ['endDate'],
    ['deliverables'],
    ['deliverables'],
    ['tags'],
    ['notes'],
  ]);
  expect(updates.at(-1)!.notes).toEqual({ base: '', value: 'Kickoff on Monday' });

  // A refused change is explained beside its field.
  await overview.getByLabel('End date').fill('2019-06-01');
  await overview.getByLabel('End date').press('Enter');
  await expect(overview.getByLabel('End date')).toHaveAccessibleDescription("End date can't be before the start date");

  // All of it is the project's, not the page's.
  await page.reload();
  const reloaded = page.getByRole('region', { name: 'Project overview' });
  await expect(reloaded).toContainText('Client: Acme Corp', { timeout: 30_000 });
  await expect(reloaded).toContainText('1/1 deliverables');
  await reloaded.getByRole('button', { name: 'Overview' }).click();
  await expect(reloaded.getByLabel('Notes')).toHaveValue('Kickoff on Monday');
  await expect(reloaded.getByLabel('End date')).toHaveValue('2999-12-31');
});
