/**
 * Webhook secrets never sit in plaintext on disk or in logs: a real on-disk core creates an
 * endpoint, rotates its secret, delivers signed events to a loopback receiver, and is closed;
 * every file of its data dir is searched for both secrets (as given, their key part, and the raw
 * key bytes). A new core on the same data dir and key opens the sealed secret and signs with it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createCore } from '../core';
import { nodeMain } from '../main/main-client';
import { ephemeralSealer } from '../sync/secrets';
import { capturingLogger, searchDataDir } from '../testing/secrets-on-disk';
import { tempDir } from '../testing/temp-core';
import { startReceiver } from './testing/loopback-receiver';

const dir = tempDir('groundwork-webhook-secret-');
afterAll(() => dir.remove());

describe('webhook secrets on disk', () => {
  it('are sealed: no file of the data dir and no log line holds them, and they sign again after a restart', async () => {
    const receiver = await startReceiver();
    const sealer = ephemeralSealer();
    const { lines, logger } = capturingLogger();
    const main = nodeMain({ sealer });
    const core = await createCore({ dataDir: dir.path, logger, main: main.client });
    const workspace = await core.api.workspaces.create({ name: 'Acme' });
    const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
    const created = await core.api.webhooks.create({ workspaceId: workspace.id, url: receiver.url, events: ['task.created'] });
    const rotated = await core.api.webhooks.rotateSecret({ id: created.id });
    await core.api.tasks.create({ projectId: project.id, title: 'Signed' });
    await receiver.waitFor(1);
    await core.internals.webhooks.idle();
    await core.close();
    main.close();

    const needles = [created.secret, rotated.secret].flatMap((secret) => {
      const key = secret.slice('whsec_'.length);
      return [Buffer.from(secret), Buffer.from(key), Buffer.from(key, 'base64')];
    });
    const { files, holding } = searchDataDir(dir.path, needles);
    expect(files.length).toBeGreaterThan(50);
    expect(holding).toEqual([]);
    expect(lines.filter((line) => [created.secret, rotated.secret].some((s) => line.includes(s.slice(6))))).toEqual([]);

    const mainAgain = nodeMain({ sealer });
    const again = await createCore({ dataDir: dir.path, logger, main: mainAgain.client });
    try {
      await again.api.webhooks.sendTest({ id: created.id });
      const [, test] = await receiver.waitFor(2);
      // Within the rotation's overlap both secrets sign; each verifies on its own.
      expect(new Webhook(rotated.secret).verify(test!.body, test!.headers)).toMatchObject({ type: 'webhook.test' });
      expect(new Webhook(created.secret).verify(test!.body, test!.headers)).toMatchObject({ type: 'webhook.test' });
    } finally {
      await again.close();
      mainAgain.close();
      await receiver.close();
    }
  }, 120_000);
});
