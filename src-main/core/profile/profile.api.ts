/** The local profile: who uses this machine. Its name is mirrored into the own member of every workspace. */
import * as Y from 'yjs';
import type { Profile } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { workspaceRoom } from '../sync/rooms';
import { ownMemberKey } from '../workspaces/workspaces.api';

const PROFILE = 'profile';
/** Only where the OS names nobody: a name teammates can still tell apart from their own. */
const unnamed = 'Teammate';

/** The OS account name, asked of main once per core (it does not change while running). */
const osNames = new WeakMap<CoreContext, Promise<string | null>>();
function osName(ctx: CoreContext): Promise<string | null> {
  let name = osNames.get(ctx);
  if (!name) {
    name = ctx.main.api.system.userName({}).then(
      (reply) => reply.name,
      (err: unknown) => {
        ctx.logger.warn({ err }, 'could not ask main for the OS user name');
        return null;
      },
    );
    osNames.set(ctx, name);
  }
  return name;
}

/**
 * The stored profile, or — until the person names themselves (first run and joining ask, the
 * OS account name prefilled) — that account name: never a placeholder like "Me", which every
 * teammate who skipped it would share.
 */
export async function getProfile(ctx: CoreContext): Promise<Profile> {
  return (await ctx.settings.get<Profile>(PROFILE)) ?? { displayName: (await osName(ctx)) ?? unnamed };
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
