/**
 * Publishing gives the workspace the relay workspace's id, and the page learns the new id only
 * when it has re-read the workspace list. The relay link may finish its first exchange before
 * that: the status pushed then names an id the page does not know yet. Here the list's reply is
 * held back on the wire (as on a busy machine) so the exchange always wins that race; the status
 * must still end at "Synced" instead of staying at the "Connecting" that publish answered.
 */
import { holdReplies } from '../support/held-replies';
import { createAndPublish, expect, test } from '../support/team-pages';

test('publish ends at Synced even when the relay syncs before the page has the new workspace id', async ({ page, webHost, relay }) => {
  await holdReplies(page, 'workspaces.list', { afterCallTo: 'sync.publish', releaseAfterMs: 1_500 });
  await createAndPublish(page, webHost.url, relay);
  await expect(page.getByRole('button', { name: /^Sync status: Synced/ })).toBeVisible();
});
