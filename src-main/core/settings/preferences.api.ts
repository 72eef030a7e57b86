/**
 * The renderer's local preferences, kept in the settings table (never synced) so they survive a
 * restart with the same data dir — also in the web host, where a browser's storage may not. Their
 * keys are prefixed, so a preference can never overwrite the core's own settings.
 */
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';

export const preferenceSetting = (key: string) => `pref:${key}`;

export function preferencesApi(ctx: CoreContext) {
  return {
    get: async ({ key }) => (await ctx.settings.get<unknown>(preferenceSetting(key))) ?? null,
    async set({ key, value }) {
      await ctx.settings.set(preferenceSetting(key), value);
    },
  } satisfies HandlersOf<'preferences'>;
}
