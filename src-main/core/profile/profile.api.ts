/** The local profile: who uses this machine. Its name is mirrored into the own member of every workspace. */
import * as Y from 'yjs';
import type { Profile } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { workspaceRoom } from '../sync/rooms';
import { ownMemberKey } from '../workspaces/workspaces.api';

const PROFILE = 'profile';
const defaultProfile: Profile = { displayName: 'Me' };

export async function getProfile(ctx: CoreContext): Promise<Profile> {
  return (await ctx.settings.get<Profile>(PROFILE)) ?? defaultProfile;
}

export function profileApi(ctx: CoreContext) {
  return {
    get: () => getProfile(ctx),
    async update({ displayName }, call) {
      const profile: Profile = { displayName };
      await ctx.settings.set(PROFILE, profile);
      const { rows } = await ctx.db.query<{ id: string }>('SELECT id FROM workspaces');
      for (const { id: workspaceId } of rows) {
        const memberId = await ctx.settings.get<string>(ownMemberKey(workspaceId));
        if (!memberId) continue;
        await ctx.docs.write(workspaceRoom(workspaceId), { ...call.origin, memberId }, (doc) => {
          const member = doc.getMap<unknown>('members').get(memberId);
          if (member instanceof Y.Map) member.set('name', displayName);
        });
      }
      ctx.emit({ workspaceId: null, projectId: null, entity: 'profile', ids: [] });
      return profile;
    },
  } satisfies HandlersOf<'profile'>;
}
