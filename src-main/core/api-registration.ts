/**
 * Where handlers are registered: the cross-cutting behaviour every call gets, applied once here
 * and never repeated inside a handler (DESIGN.md, Conventions 6):
 *  1. validation — the input is parsed with its contract schema (validate.ts);
 *  2. mutations — a method listed in mutating-methods.ts runs in its workspace's mutation queue,
 *     its deciding reads and its write as one unit;
 *  3. the caller — every handler gets a `CoreCall`: which connection called, and the typed origin
 *     its writes carry (this machine's member in the workspace, and the call that caused them).
 */
import type { z } from 'zod';
import { inputs, type Api, type Inputs, type ParsedOf } from '../contract';
import { inProcessCaller, type CallContext, type Handlers } from '../rpc/serve';
import type { CoreContext } from './context';
import { mutatingMethods } from './mutating-methods';
import { localOrigin, type LocalOrigin } from './sync/origins';
import { validatedHandlers } from './validate';
import { ownMemberKey } from './workspaces/workspaces.api';

/** What a handler knows of its call besides the input. */
export interface CoreCall {
  caller: CallContext;
  /** The origin of this call's writes: local, with this machine's member in the workspace (if known). */
  origin: LocalOrigin;
  /**
   * The same for writes to `workspaceId`, for a handler that runs its own mutations (it waits for
   * the network first, or learns its workspace only from what it reads): this machine's member there.
   */
  originIn(workspaceId: string): Promise<LocalOrigin>;
}

/** A namespace's handlers receive parsed input (defaults filled in) and return what the Api says. */
export type HandlersOf<NS extends keyof Api & keyof Inputs> = {
  [M in keyof Api[NS] & keyof Inputs[NS]]: (
    input: ParsedOf<NS, M>,
    call: CoreCall,
  ) => Api[NS][M] extends (...args: never[]) => infer R ? R : never;
};

export type AllHandlers = { [NS in keyof Api & keyof Inputs]: HandlersOf<NS> };

type Scope = (input: unknown, places: CoreContext['places']) => Promise<string | null> | string | null;
type CoreHandler = (input: unknown, call: CoreCall) => Promise<unknown>;

/** The handlers as the RPC serves them (with the caller), and as an in-process `Api` (tests, tools, the demo). */
export function registerApi(ctx: CoreContext, all: AllHandlers): { api: Api; handlers: Handlers } {
  const members = ownMembers(ctx);
  // Each handler behind its mutation queue (if it mutates) and with its call's origin…
  const withCall: Record<string, Record<string, (input: unknown, caller: CallContext) => Promise<unknown>>> = {};
  for (const [ns, methods] of Object.entries(all)) {
    const scopes = (mutatingMethods[ns as keyof Inputs] ?? {}) as Record<string, Scope | undefined>;
    withCall[ns] = {};
    for (const [verb, handler] of Object.entries(methods as Record<string, CoreHandler>)) {
      const scope = scopes[verb];
      withCall[ns][verb] = async (input, caller) => {
        const cause = { connectionId: caller.connectionId, callId: caller.callId };
        const originIn = async (workspaceId: string) => localOrigin(await members.of(workspaceId), cause);
        if (!scope) return handler(input, { caller, origin: localOrigin(null, cause), originIn });
        const workspaceId = await scope(input, ctx.places);
        return ctx.mutate(workspaceId, async () =>
          handler(input, { caller, origin: localOrigin(workspaceId ? await members.of(workspaceId) : null, cause), originIn }),
        );
      };
    }
  }
  // …and validation before all of it.
  const handlers = validatedHandlers(inputs as unknown as Record<string, Record<string, z.ZodType>>, withCall) as Handlers;
  const api = Object.fromEntries(
    Object.entries(handlers).map(([ns, methods]) => [
      ns,
      Object.fromEntries(Object.entries(methods).map(([verb, handler]) => [verb, (args: unknown) => handler(args, inProcessCaller())])),
    ]),
  );
  return { api: api as unknown as Api, handlers };
}

/** This machine's member id per workspace (local settings), cached until a workspace changes. */
function ownMembers(ctx: CoreContext) {
  const known = new Map<string, string>();
  ctx.onChange((event) => {
    if (event.entity === 'workspace') known.clear();
  });
  return {
    async of(workspaceId: string): Promise<string | null> {
      const cached = known.get(workspaceId);
      if (cached) return cached;
      const memberId = await ctx.settings.get<string>(ownMemberKey(workspaceId));
      if (memberId) known.set(workspaceId, memberId);
      return memberId ?? null;
    },
  };
}
