/**
 * Publishing gives the workspace the relay workspace's id, and the page learns the new id only
 * when it has re-read the workspace list. The relay link may finish its first exchange before
 * that: the status pushed then names an id the page does not know yet. Here the list's reply is
 * held back on the wire (as on a busy machine) so the exchange always wins that race; the status
 * must still end at "Synced" instead of staying at the "Connecting" that publish answered.
 */
import { createAndPublish, expect, test } from '../support/team-pages';

test('publish ends at Synced even when the relay syncs before the page has the new workspace id', async ({ page, webHost, relay }) => {
  await page.routeWebSocket(/\/api\?token=/, (pageSide) => {
    const hostSide = pageSide.connectToServer();
    const held = new Set<unknown>();
    let published = false;
    pageSide.onMessage((frame) => {
      const call = JSON.parse(String(frame)) as { id?: unknown; method?: string };
      published ||= call.method === 'sync.publish';
      if (published && call.method === 'workspaces.list') held.add(call.id);
      hostSide.send(frame);
    });
    hostSide.onMessage((frame) => {
      const reply = JSON.parse(String(frame)) as { id?: unknown };
      if (held.delete(reply.id)) setTimeout(() => pageSide.send(frame), 1_500);
      else pageSide.send(frame);
    });
  });
  await createAndPublish(page, webHost.url, relay);
  await expect(page.getByRole('button', { name: /^Sync status: Synced/ })).toBeVisible();
});
