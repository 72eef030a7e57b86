/**
 * Test factories for team sync: a real relay on a loopback port and several real cores (each its
 * own PGlite replica) joined to one workspace through invites, as people would.
 */
import { startRelay, type RelayHandle } from '../../../sync-server/relay/relay-server';
import { createCore, type Core } from '../core';
import type { Workspace } from '../../contract';
import type { JobType } from '../jobs/job-type';
import type { GithubPorts } from '../integrations/github/octokit-client';
import { projectionDump } from './temp-core';

export interface Team {
  relay: RelayHandle;
  cores: Core[];
  workspace: Workspace;
  close(): Promise<void>;
}

/** `size` replicas of one workspace: the first created and published it, the others joined. */
export async function startTeam(size: number, relay?: RelayHandle, options: { jobTypes?: readonly JobType[]; github?: GithubPorts } = {}): Promise<Team> {
  const ownRelay = relay ?? (await startRelay({ port: 0, logger: 'silent' }));
  const first = await createCore({ dataDir: null, jobTypes: options.jobTypes, github: options.github });
  const workspace = await first.api.workspaces.create({ name: 'Acme' });
  const { owner } = await ownRelay.createWorkspace({ name: 'Acme', id: workspace.id });
  await first.api.sync.publish({ workspaceId: workspace.id, invite: owner.invite });
  const cores = [first];
  for (let i = 1; i < size; i++) {
    const core = await createCore({ dataDir: null, jobTypes: options.jobTypes, github: options.github });
    const member = await ownRelay.issueToken({ workspace: workspace.id, role: 'member', name: `member ${i}` });
    await core.api.profile.update({ displayName: `Member ${i}` });
    await core.api.sync.join({ invite: member.invite });
    cores.push(core);
  }
  return {
    relay: ownRelay,
    cores,
    workspace,
    async close() {
      for (const core of cores) await core.close();
      if (!relay) await ownRelay.close();
    },
  };
}

/** Waits (bounded) until every core's projection equals the first one's; returns the dump. */
export async function converged(cores: Core[], timeoutMs = 30_000): Promise<Record<string, unknown[]>> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const dumps = await Promise.all(cores.map((core) => projectionDump(core)));
    const texts = dumps.map((d) => JSON.stringify(d));
    if (texts.every((t) => t === texts[0])) return dumps[0]!;
    last = texts.map((t) => t.length).join(' vs ');
    if (Date.now() > deadline) throw new Error(`replicas did not converge in ${timeoutMs} ms (dump sizes ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits (bounded) for a condition on a core's API. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
