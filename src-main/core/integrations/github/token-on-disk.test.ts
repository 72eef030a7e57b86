/**
 * The token never sits in plaintext on disk or in logs: a real on-disk core connects (recorded
 * GET /user), is closed, and every file of its data dir is searched for the token (as text and as
 * base64). The sealed copy is opened again by a new core on the same data dir and key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core';
import { nodeMain } from '../../main/main-client';
import { ephemeralSealer } from '../../sync/secrets';
import { capturingLogger, searchDataDir } from '../../testing/secrets-on-disk';
import { tempDir } from '../../testing/temp-core';
import { recorded, startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

let replay: ReplayServer;
const dir = tempDir('groundwork-github-token-');
const token = 'ghp_GroundworkGrepTest7f3a9c1e5b2d8f4a6c0e';

beforeAll(async () => {
  const user = recorded('user-get-2023.json');
  replay = await startReplayServer({ 'connect-then-repos': [...user, ...recorded('user-repos-list.json')] });
});

afterAll(async () => {
  await replay?.close();
  dir.remove();
});

describe('the GitHub token on disk', () => {
  it('is sealed: no file of the data dir and no log line holds it, and it opens again after a restart', async () => {
    const sealer = ephemeralSealer();
    const { lines, logger } = capturingLogger();
    const baseUrl = await replay.load('connect-then-repos');

    const main = nodeMain({ sealer });
    const core = await createCore({ dataDir: dir.path, logger, main: main.client, github: { retries: false } });
    await core.api.github.connectToken({ token, baseUrl });
    await core.close();
    main.close();

    const { files, holding } = searchDataDir(dir.path, [token, Buffer.from(token).toString('base64'), token.slice(4, 28)]);
    expect(files.length).toBeGreaterThan(50);
    expect(holding).toEqual([]);
    expect(lines.filter((line) => line.includes(token.slice(4, 28)))).toEqual([]);

    // The same key (main's) opens it again: a new core lists repos with the stored token.
    const mainAgain = nodeMain({ sealer });
    const again = await createCore({ dataDir: dir.path, logger, main: mainAgain.client, github: { retries: false } });
    try {
      expect(await again.api.github.account()).toMatchObject({ login: 'EnricoMi', baseUrl });
      expect((await again.api.github.repos({})).repos).toHaveLength(3);
    } finally {
      await again.close();
      mainAgain.close();
    }
  });
});
