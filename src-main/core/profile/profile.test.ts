/** Until a person names themselves, they are their OS account name — never a shared "Me". */
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core';
import { nodeMain, type NodeMain } from '../main/main-client';

const open: { core: Core; main: NodeMain }[] = [];
afterEach(async () => {
  for (const { core, main } of open.splice(0)) {
    await core.close();
    main.close();
  }
});

async function coreOf(userName: () => string | null): Promise<Core> {
  const main = nodeMain({ userName });
  const core = await createCore({ dataDir: null, main: main.client });
  open.push({ core, main });
  return core;
}

describe('profile', () => {
  it('starts as the OS account name (asked of main), which also names this machine in a new workspace', async () => {
    const core = await coreOf(() => 'ana');
    expect(await core.api.profile.get()).toEqual({ displayName: 'ana' });
    const workspace = await core.api.workspaces.create({ name: 'Acme' });
    expect((await core.api.members.list({ workspaceId: workspace.id })).map((m) => m.name)).toEqual(['ana']);
    await core.api.profile.update({ displayName: 'Ana Ruiz' });
    expect(await core.api.profile.get()).toEqual({ displayName: 'Ana Ruiz' });
  });

  it('is a neutral word, not "Me", where the OS names nobody', async () => {
    const core = await coreOf(() => null);
    expect((await core.api.profile.get()).displayName).toBe('Teammate');
  });
});
