/**
 * Forms in the first hour: validation in plain words beside the field, limits on the inputs,
 * toasts that show above dialogs, a free project key, and date fields that save once, whole.
 */
import { expect, test } from '../support/web-fixtures';
import { addTasks, card, createProject, createWorkspace, recordCalls } from '../support/first-run';

test.use({ locale: 'en-US' });

test('a refused value is explained beside its field in plain words; inputs carry their limits', async ({ page, webHost }) => {
  // A name of nothing visible (a zero-width space) is the core's to refuse: in words, by the field.
  await page.goto(webHost.url);
  const workspaceName = page.getByLabel('Workspace name');
  await expect(workspaceName).toHaveAttribute('maxlength', '120', { timeout: 30_000 });
  await workspaceName.fill('\u200B');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(workspaceName).toHaveAccessibleDescription("Name can't be empty");
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  await addTasks(page, 'Todo', ['Write copy']);
  await card(page, 'Todo', 'Write copy').click();
  const panel = page.getByRole('complementary', { name: /^Task WEB-1/ });

  await expect(panel.getByLabel('Title')).toHaveAttribute('maxlength', '500');
  const estimate = panel.getByLabel('Estimate (hours)');
  await expect(estimate).toHaveAttribute('min', '0');
  await estimate.fill('-2');
  await estimate.press('Enter');
  await expect(estimate).toHaveAccessibleDescription("Estimate can't be negative");
  await expect(page.getByText(/Invalid input to/)).toHaveCount(0);
  await estimate.fill('3');
  await estimate.press('Enter');
  await expect(card(page, 'Todo', 'Write copy')).toContainText('3h');
  await expect(estimate).toHaveAccessibleDescription('');
  await page.keyboard.press('Escape');

  // The core's refusal (dates out of order) comes back on the field, not as developer text.
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await expect(dialog.getByLabel('Name')).toHaveAttribute('maxlength', '120');
  await dialog.getByLabel('Name').fill('Launch');
  await dialog.getByLabel('Start date').fill('2025-07-20');
  await dialog.getByLabel('End date').fill('2025-07-10');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog.getByLabel('End date')).toHaveAccessibleDescription("End date can't be before the start date");
  await expect(page.getByText(/Invalid input to/)).toHaveCount(0);
});

test('a toast raised while a dialog is open shows inside it, not behind its backdrop', async ({ page, webHost }) => {
  // The one injected fault: the core's socket drops the reply to a profile save and answers
  // UNAVAILABLE instead (as when the core went away mid-call); everything else passes through.
  await page.routeWebSocket(/\/api\b/, (socket) => {
    const core = socket.connectToServer();
    socket.onMessage((message) => {
      const call = typeof message === 'string' ? (JSON.parse(message) as { id?: unknown; method?: string }) : null;
      if (call?.method !== 'profile.update') return core.send(message);
      socket.send(JSON.stringify({ id: call.id, ok: false, error: { code: 'UNAVAILABLE', message: 'The core did not answer' } }));
    });
  });
  await createWorkspace(page, webHost.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Display name').fill('Ada');
  await dialog.getByRole('button', { name: 'Save' }).click();
  // Inside the modal: above its backdrop and not inert, so it is seen and announced.
  await expect(dialog.getByRole('alert').filter({ hasText: 'The core did not answer' })).toBeVisible();
});

test('the New project dialog suggests a free key and marks a taken one as it is typed', async ({ page, webHost }) => {
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill('Website v2');
  await expect(dialog.getByLabel('Key')).toHaveValue('WV');
  await dialog.getByLabel('Name').fill('Website');
  await expect(dialog.getByLabel('Key')).toHaveValue('WEB2');

  await dialog.getByLabel('Key').fill('WEB');
  await expect(dialog.getByLabel('Key')).toHaveAccessibleDescription('Key WEB is already used by another project');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Key').fill('SITE');
  await expect(dialog.getByLabel('Key')).toHaveAccessibleDescription(/Prefix of task keys/);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByLabel('Key SITE')).toBeVisible();
});

test('a typed date is saved once, whole, on Enter or blur; a half-typed one is refused with a message', async ({ page, webHost }) => {
  const updates = recordCalls(page, 'tasks.update');
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  await addTasks(page, 'Todo', ['Write copy']);
  await card(page, 'Todo', 'Write copy').click();
  const panel = page.getByRole('complementary', { name: /^Task WEB-1/ });
  const due = panel.getByLabel('Due date');

  // Typed as a person does, segment by segment: 0002, 0020, 0202 pass by on the way to 2025.
  await due.focus();
  await page.keyboard.type('07152025');
  await expect(due).toHaveValue('2025-07-15');
  await due.press('Enter');
  await expect.poll(() => updates.filter((u) => 'dueDate' in u)).toEqual([{ id: expect.any(String), dueDate: '2025-07-15' }]);

  // Half a date, then away: refused beside the field, nothing sent, nothing lost from the task.
  // Focus lands on the month; clear it and leave day and year as they are.
  await due.focus();
  await page.keyboard.press('Backspace');
  await panel.getByLabel('Estimate (hours)').focus();
  await expect(due).toHaveAccessibleDescription('Due date is not a full date: finish it or clear it');
  expect(updates.filter((u) => 'dueDate' in u)).toHaveLength(1);

  // A project's half-typed date stops Create with a message instead of being dropped.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill('Launch');
  await dialog.getByLabel('Start date').focus();
  await page.keyboard.type('0715');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog.getByLabel('Start date')).toHaveAccessibleDescription('Start date is not a full date: finish it or clear it');
  await expect(dialog).toBeVisible();
});
