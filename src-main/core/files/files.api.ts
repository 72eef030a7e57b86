/**
 * `files`: what the renderer asks of the person's file system through the host. Only the main
 * process can show a native folder dialog, so the core forwards the question to it (the MainApi
 * RPC); the core itself never opens a window. The web host's main answers null (no dialog there).
 */
import type { HandlersOf } from '../api-registration';
import type { CoreContext } from '../context';

export function filesApi(ctx: CoreContext) {
  return {
    async chooseFolder({ title }) {
      // Main's schema is strict: an absent title is left out, not sent as undefined.
      const { path } = await ctx.main.api.dialog.chooseFolder(title === undefined ? {} : { title });
      return { path };
    },
  } satisfies HandlersOf<'files'>;
}
