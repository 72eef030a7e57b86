/**
 * The relay's HTTP side: probes, metrics and the small JSON API the app and the CLI use.
 *
 *   GET  /healthz            the process is up
 *   GET  /readyz             storage answers (503 otherwise)
 *   GET  /metrics            Prometheus text format
 *   GET  /v1/whoami          Bearer workspace token → {workspace, workspaceName, role, jti, name, expiresAt}
 *   POST /v1/invites         Bearer owner/admin token, {role: member|viewer, name?, expires?} → {invite, token, jti}
 *   GET  /v1/invites         Bearer owner/admin token → {invites: [{id, role, name, memberId, createdAt, expiresAt, revokedAt, lastSeenAt}]}
 *   POST /v1/invites/revoke  Bearer owner/admin token, {id} → {id, revoked: true} (member and viewer invites of its workspace)
 *   GET  /v1/members         Bearer workspace token → {members: [{memberId, role, lastSeenAt}]}
 *   PUT  /v1/me              Bearer workspace token, {memberId} → 204 (which member of the workspace doc uses the token)
 *   POST /v1/admin/workspaces  admin token (CLI) {name, id?} → {workspace, invite, token, jti}
 *   POST /v1/admin/tokens      admin token (CLI) {workspace, role, name?, expires?} → {invite, token, jti}
 *   POST /v1/admin/revoke      admin token (CLI) {jti} → {jti, revoked: true}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  duration,
  type ErrorReply,
  firstIssue,
  inviteRequest,
  type InviteReply,
  type InvitesReply,
  meRequest,
  type MembersReply,
  revokeInviteRequest,
  role,
  storedName,
  type WhoamiReply,
} from '../../src-main/sync-protocol/http-replies';
import { AdminError, type IssuedToken, type RelayAdmin } from '../auth/relay-admin';
import { authorize, bearerToken } from '../auth/authorize';
import { invitableRoles, TokenError, verifyAdminToken } from '../auth/tokens';
import type { RelayMetrics } from '../metrics/metrics';
import type { RelayStore } from '../storage/relay-store';

export interface RouteContext {
  store: RelayStore;
  secret: Uint8Array;
  admin: RelayAdmin;
  metrics: RelayMetrics;
  /** Every 500 is logged here with its error (the reply says only "internal error"). */
  logger: Logger;
}

const MAX_BODY_BYTES = 64 * 1024;
// The app's routes take the shared request schemas (http-replies.ts); the CLI's admin routes are
// the relay's own, with the same rules for a role, a name and a duration.
const workspaceBody = z.object({ name: storedName.min(1), id: z.string().max(128).optional() });
const tokenBody = z.object({ workspace: z.string().min(1).max(128), role, name: storedName.optional(), expires: duration.optional() });
const revokeBody = z.object({ jti: z.string().min(1).max(200) });

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const iso = (date: Date | null) => date?.toISOString() ?? null;
/** Lower is more: owner, admin, member, viewer. */
const ROLE_RANK = { owner: 0, admin: 1, member: 2, viewer: 3 } as const;

const issued = (t: IssuedToken): InviteReply => ({ invite: t.invite, token: t.token, jti: t.jti });

export async function handleHttp(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Bearer tokens, no cookies: any origin may call (the app's renderer, a web build).
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
  try {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const route = `${req.method} ${path}`;
    if (req.method === 'OPTIONS') return send(res, 204, null);
    switch (route) {
      case 'GET /healthz':
        return send(res, 200, { ok: true });
      case 'GET /readyz':
        try {
          await ctx.store.ping();
          return send(res, 200, { ok: true, storage: ctx.store.sql.kind });
        } catch (error) {
          return send(res, 503, { ok: false, error: `storage unreachable: ${(error as Error).message}` });
        }
      case 'GET /metrics':
        res.writeHead(200, { 'Content-Type': ctx.metrics.registry.contentType });
        res.end(await ctx.metrics.registry.metrics());
        return;
      case 'GET /v1/whoami': {
        const claims = await authorizeRequest(ctx, req);
        const record = await ctx.store.token(claims.jti);
        return send(res, 200, {
          workspace: claims.workspace,
          workspaceName: await ctx.store.workspaceName(claims.workspace),
          role: claims.role,
          jti: claims.jti,
          name: claims.name,
          expiresAt: record?.expiresAt?.toISOString() ?? null,
        } satisfies WhoamiReply);
      }
      case 'POST /v1/invites': {
        const claims = await authorizeRequest(ctx, req);
        const body = parse(inviteRequest, await readJson(req));
        if (!invitableRoles(claims.role).includes(body.role)) {
          throw new HttpError(403, `a ${claims.role} cannot invite a ${body.role} (owners and admins invite members and viewers)`);
        }
        return send(res, 201, issued(await ctx.admin.issueToken({ workspace: claims.workspace, role: body.role, name: body.name ?? null, expiresIn: body.expires ?? null })));
      }
      case 'GET /v1/invites': {
        const claims = await authorizeRequest(ctx, req);
        const invitable = invitableRoles(claims.role);
        if (invitable.length === 0) throw new HttpError(403, `a ${claims.role} cannot see the workspace's invites (owners and admins can)`);
        const tokens = await ctx.store.workspaceTokens(claims.workspace);
        return send(res, 200, {
          invites: tokens
            .filter((t) => invitable.includes(t.role))
            .map((t) => ({
              id: t.jti,
              role: t.role,
              name: t.name,
              memberId: t.memberId,
              createdAt: t.createdAt.toISOString(),
              expiresAt: iso(t.expiresAt),
              revokedAt: iso(t.revokedAt),
              lastSeenAt: iso(t.lastSeenAt),
            })),
        } satisfies InvitesReply);
      }
      case 'POST /v1/invites/revoke': {
        const claims = await authorizeRequest(ctx, req);
        const { id } = parse(revokeInviteRequest, await readJson(req));
        const target = await ctx.store.token(id);
        // Another workspace's token is "not found", not "forbidden": its existence is not ours to tell.
        if (!target || target.workspace !== claims.workspace) throw new HttpError(404, `no invite with id ${id} in this workspace`);
        if (!invitableRoles(claims.role).includes(target.role)) {
          throw new HttpError(403, `a ${claims.role} cannot revoke a ${target.role}'s access (owners and admins revoke member and viewer invites)`);
        }
        await ctx.admin.revokeToken(id);
        return send(res, 200, { id, revoked: true });
      }
      case 'GET /v1/members': {
        const claims = await authorizeRequest(ctx, req);
        const byMember = new Map<string, MembersReply['members'][number]>();
        for (const t of await ctx.store.workspaceTokens(claims.workspace)) {
          if (t.revokedAt || !t.memberId) continue;
          const seen = iso(t.lastSeenAt);
          const known = byMember.get(t.memberId);
          // One person may hold several tokens (a re-join): their highest role, their latest visit.
          byMember.set(t.memberId, {
            memberId: t.memberId,
            role: known && ROLE_RANK[known.role] < ROLE_RANK[t.role] ? known.role : t.role,
            lastSeenAt: known?.lastSeenAt && (!seen || known.lastSeenAt > seen) ? known.lastSeenAt : seen,
          });
        }
        return send(res, 200, { members: [...byMember.values()] } satisfies MembersReply);
      }
      case 'PUT /v1/me': {
        const claims = await authorizeRequest(ctx, req);
        const { memberId } = parse(meRequest, await readJson(req));
        await ctx.store.setTokenMember(claims.jti, memberId);
        return send(res, 204, null);
      }
      case 'POST /v1/admin/workspaces': {
        await authorizeAdmin(ctx, req);
        const body = parse(workspaceBody, await readJson(req));
        const created = await ctx.admin.createWorkspace(body);
        return send(res, 201, { workspace: created.workspace, ...issued(created.owner) });
      }
      case 'POST /v1/admin/tokens': {
        await authorizeAdmin(ctx, req);
        const body = parse(tokenBody, await readJson(req));
        return send(res, 201, issued(await ctx.admin.issueToken({ ...body, name: body.name ?? null, expiresIn: body.expires ?? null })));
      }
      case 'POST /v1/admin/revoke': {
        await authorizeAdmin(ctx, req);
        const { jti } = parse(revokeBody, await readJson(req));
        await ctx.admin.revokeToken(jti);
        return send(res, 200, { jti, revoked: true });
      }
      default:
        return refuse(res, 404, `no route ${route}`);
    }
  } catch (error) {
    if (error instanceof TokenError) {
      ctx.metrics.authRefused.inc({ reason: error.reason });
      return refuse(res, error.status, error.message);
    }
    if (error instanceof HttpError || error instanceof AdminError) return refuse(res, error.status, error.message);
    ctx.logger.error({ err: error, method: req.method, path: new URL(req.url ?? '/', 'http://relay').pathname }, 'http request failed');
    return refuse(res, 500, 'internal error');
  }
}

function authorizeRequest(ctx: RouteContext, req: IncomingMessage) {
  return authorize(ctx.secret, ctx.store, bearerToken(req.headers.authorization));
}

function authorizeAdmin(ctx: RouteContext, req: IncomingMessage) {
  return verifyAdminToken(ctx.secret, bearerToken(req.headers.authorization));
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, `invalid request body: ${firstIssue(result.error)}`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}

const refuse = (res: ServerResponse, status: number, error: string) => send(res, status, { error } satisfies ErrorReply);

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
