import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type Client } from '../../contract';
import { createCore, type Core } from '../core';
import { nodeMain, type NodeMain } from '../main/main-client';
import { connectTo } from '../testing/temp-core';

const open: Array<{ core: Core; client: Client; main: NodeMain }> = [];
afterEach(async () => {
  for (const { core, client, main } of open.splice(0)) {
    client.close();
    await core.close();
    main.close();
  }
});

/** A core whose plain-Node main answers folder dialogs with `answer`, recording the titles asked. */
async function start(answer?: (title: string | undefined) => string | null) {
  const asked: Array<string | undefined> = [];
  const main = nodeMain(answer ? { chooseFolder: (title) => (asked.push(title), answer(title)) } : {});
  const core = await createCore({ dataDir: null, main: main.client });
  const client = connectTo(core);
  open.push({ core, client, main });
  return { api: client.api, asked };
}

describe('files.chooseFolder', () => {
  it("forwards to main's folder dialog with the title and answers the folder chosen", async () => {
    const { api, asked } = await start((title) => (title === 'Folder for the export' ? '/home/ana/Reports' : '/elsewhere'));
    expect(await api.files.chooseFolder({ title: 'Folder for the export' })).toEqual({ path: '/home/ana/Reports' });
    expect(await api.files.chooseFolder({})).toEqual({ path: '/elsewhere' });
    expect(await api.files.chooseFolder()).toEqual({ path: '/elsewhere' });
    expect(asked).toEqual(['Folder for the export', undefined, undefined]);
  });

  it('answers null when the person cancels, and where main has no dialog (the web host)', async () => {
    const cancelled = await start(() => null);
    expect(await cancelled.api.files.chooseFolder({ title: 'Backups' })).toEqual({ path: null });
    expect(cancelled.asked).toEqual(['Backups']);
    const noDialog = await start();
    expect(await noDialog.api.files.chooseFolder({ title: 'Backups' })).toEqual({ path: null });
  });

  it('refuses a bad title as VALIDATION naming the field, without asking main', async () => {
    const { api, asked } = await start(() => '/never');
    const error = await api.files.chooseFolder({ title: 'x'.repeat(201) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('VALIDATION');
    expect((error as ApiError).message).toContain('title: ');
    const extra = await api.files.chooseFolder({ folder: '/x' } as never).catch((e: unknown) => e);
    expect((extra as ApiError).code).toBe('VALIDATION');
    expect(asked).toEqual([]);
  });

  it('answers concurrent asks each with its own title', async () => {
    const { api } = await start((title) => `/chosen/${title ?? 'none'}`);
    const answers = await Promise.all(['a', 'b', 'c', undefined].map((title) => api.files.chooseFolder(title === undefined ? {} : { title })));
    expect(answers.map((a) => a.path)).toEqual(['/chosen/a', '/chosen/b', '/chosen/c', '/chosen/none']);
  });
});
