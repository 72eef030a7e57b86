/**
 * Team basics through the core API against a real relay: the members list (roles, last seen),
 * the invites an owner or admin handed out, and revoking one — refused to members and viewers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../core';
import { eventually, startTeam, type Team } from '../testing/team';

let team: Team;
let owner: Core;
let member: Core;
let workspaceId: string;

beforeAll(async () => {
  team = await startTeam(2);
  [owner, member] = team.cores as [Core, Core];
  workspaceId = team.workspace.id;
  await owner.api.profile.update({ displayName: 'Alice' });
});
afterAll(async () => team?.close());

describe('team basics', () => {
  it('lists every member with their role and when they were last connected, for anyone in the workspace', async () => {
    for (const core of [owner, member]) {
      const members = await eventually(
        () => core.api.sync.members({ workspaceId }),
        (list) => list.length === 2 && list.every((m) => m.role !== null && m.lastSeenAt !== null),
      );
      expect(members.map((m) => [m.name, m.role]).sort()).toEqual([
        ['Alice', 'owner'],
        ['Member 1', 'member'],
      ]);
      expect(members.filter((m) => m.isYou).map((m) => m.name)).toEqual([core === owner ? 'Alice' : 'Member 1']);
    }
  });

  it('shows an owner the invites, used or not, and lets them revoke one: its holder is cut off', async () => {
    await owner.api.sync.createInvite({ workspaceId, role: 'viewer', name: 'Cleo' });
    const invites = await owner.api.sync.invites({ workspaceId });
    expect(invites.map((i) => [i.name, i.role, i.memberName, i.revokedAt])).toEqual([
      ['member 1', 'member', 'Member 1', null],
      ['Cleo', 'viewer', null, null],
    ]);

    const after = await owner.api.sync.revokeInvite({ workspaceId, inviteId: invites[0]!.id });
    expect(after[0]!.revokedAt).not.toBeNull();
    const status = await eventually(() => member.api.sync.status({ workspaceId }), (s) => s.state === 'error');
    expect(status.errors[0]?.message).toMatch(/revoked/i);
  });

  it('refuses members and viewers, bad ids and invites of no one', async () => {
    await expect(member.api.sync.invites({ workspaceId })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/Only owners and admins can see the invites/) });
    await expect(member.api.sync.revokeInvite({ workspaceId, inviteId: '0190d7a6-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(owner.api.sync.revokeInvite({ workspaceId, inviteId: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('inviteId') });
    await expect(owner.api.sync.revokeInvite({ workspaceId, inviteId: '0190d7a6-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
