import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client } from '../../contract';
import { createCore, type Core } from '../core';
import { connectTo } from '../testing/temp-core';

const open: Array<{ core: Core; client: Client }> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const { core, client } of open.splice(0)) {
    client.close();
    await core.close();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string | null = null) {
  const core = await createCore({ dataDir });
  const client = connectTo(core);
  open.push({ core, client });
  return client.api;
}

describe('preferences (local, never synced)', () => {
  it('keeps a value across a restart on the same data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groundwork-prefs-'));
    dirs.push(dir);
    const api = await start(join(dir, 'data'));
    expect(await api.preferences.get({ key: 'theme' })).toBeNull();
    await api.preferences.set({ key: 'theme', value: 'dark' });
    const place = { projectId: '0190a000-0000-7000-8000-000000000000', view: 'list' };
    await api.preferences.set({ key: 'place:0190a000-0000-7000-8000-000000000001', value: place });
    const { core, client } = open.pop()!;
    client.close();
    await core.close();

    const again = await start(join(dir, 'data'));
    expect(await again.preferences.get({ key: 'theme' })).toBe('dark');
    expect(await again.preferences.get({ key: 'place:0190a000-0000-7000-8000-000000000001' })).toEqual(place);
  });

  it("refuses keys that are not preference names, so the core's own settings stay out of reach", async () => {
    const api = await start();
    const profile = await api.profile.get();
    await api.preferences.set({ key: 'profile', value: { displayName: 'x' } });
    expect(await api.profile.get()).toEqual(profile);
    await expect(api.preferences.get({ key: 'Current workspace' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'key' } });
    await expect(api.preferences.set({ key: 'theme', value: 'x'.repeat(20_001) })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'value' } });
  });
});
