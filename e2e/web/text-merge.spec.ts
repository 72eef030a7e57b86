/**
 * Two people type into one description at once, each on their own machine (web host + replica)
 * through one relay: both lines survive on both screens (the renderer sends each edit relative to
 * the text it was made on; the core merges it per character).
 */
import { card, column, expect, openProject, publishAndJoin, test } from '../support/team-pages';

test('two web hosts typing into one description at once: both lines survive on both', async ({ browser, page: pageA, webHost: hostA, launchWebHost, relay }) => {
  test.setTimeout(180_000);
  const pageB = await publishAndJoin({ browser, pageA, hostA, hostB: launchWebHost({ label: 'web-host-b' }), relay });

  await pageA.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = pageA.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill('Website');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await column(pageA, 'Todo').getByRole('button', { name: /Add task/ }).click();
  const quickAdd = column(pageA, 'Todo').getByRole('textbox', { name: 'New task title in Todo' });
  await quickAdd.fill('Write the brief');
  await quickAdd.press('Enter');
  await quickAdd.press('Escape');
  await openProject(pageB, 'Website');

  const description = async (page: typeof pageA) => {
    await card(page, 'Todo', 'Write the brief').click();
    const field = page.getByRole('complementary', { name: /^Task WEB-1/ }).getByLabel('Description');
    await expect(field).toBeVisible({ timeout: 20_000 });
    return field;
  };
  const [onA, onB] = await Promise.all([description(pageA), description(pageB)]);
  // Both start typing into the empty text their panel shows. A finishes first and A's line reaches
  // B's machine while B still types: B's edit is saved after it, made on the older (empty) text.
  await Promise.all([
    onA.pressSequentially('Alice line. ', { delay: 30 }).then(() => onA.blur()),
    onB.pressSequentially('Ben line. ', { delay: 300 }).then(() => onB.blur()),
  ]);
  for (const field of [onA, onB]) {
    await expect(field).toHaveValue(/Alice line\. /, { timeout: 20_000 });
    await expect(field).toHaveValue(/Ben line\. /, { timeout: 20_000 });
  }
  // The same text on both screens (the order of two insertions at one place is Yjs's, the same everywhere).
  await expect(onB).toHaveValue(await onA.inputValue());
});
