/**
 * What the relay's HTTP API takes and answers, as zod schemas: the relay builds its replies to
 * satisfy these types and parses request bodies with them; the app parses the replies with them
 * (never a cast), so a relay and an app of different versions disagree with a clear message.
 */
import { z } from 'zod';
import { parseDuration } from './durations';
import { roles } from './roles';

export const role = z.enum(roles);

/** A token lifetime like 7d (s, m, h, d or w), at most ten years: parseDuration's rule. */
export const duration = z
  .string()
  .max(32)
  .check((ctx) => {
    try {
      parseDuration(ctx.value);
    } catch (error) {
      ctx.issues.push({ code: 'custom', message: (error as Error).message, input: ctx.value });
    }
  });

/** A name the relay stores (who a token is for, a workspace): Postgres text cannot hold NUL. */
export const storedName = z
  .string()
  .max(200)
  .regex(/^[^\0]*$/, { error: 'must not contain NUL characters' });

/** `POST /v1/invites` body (Bearer owner/admin token). Owners and admins hand out member or viewer. */
export const inviteRequest = z.object({ role, name: storedName.optional(), expires: duration.optional() });
export type InviteRequest = z.infer<typeof inviteRequest>;

/** `POST /v1/invites` → 201 (the admin token routes answer the same). */
export const inviteReply = z.object({
  /** `groundwork://join?relay=<ws url>&token=<jwt>` */
  invite: z.string(),
  token: z.string(),
  jti: z.string(),
});
export type InviteReply = z.infer<typeof inviteReply>;

/** `GET /v1/whoami` (Bearer workspace token) → what the relay knows of that token. */
export const whoamiReply = z.object({
  workspace: z.string(),
  workspaceName: z.string().nullable(),
  role,
  jti: z.string(),
  name: z.string().nullable(),
  /** ISO time, or null for a token that does not expire. */
  expiresAt: z.iso.datetime().nullable(),
});
export type WhoamiReply = z.infer<typeof whoamiReply>;

/** `PUT /v1/me` body (any workspace token): the member of the workspace doc who uses the token. */
export const meRequest = z.object({ memberId: z.string().min(1).max(128) });

/** `GET /v1/members` (any workspace token) → who has access, by member, with role and last connection. */
export const membersReply = z.object({
  members: z.array(
    z.object({
      memberId: z.string(),
      role,
      /** ISO time the member's token last connected or disconnected; null if it never did. */
      lastSeenAt: z.iso.datetime().nullable(),
    }),
  ),
});
export type MembersReply = z.infer<typeof membersReply>;

/** `GET /v1/invites` (owner/admin token) → the member and viewer invites of the workspace. */
export const invitesReply = z.object({
  invites: z.array(
    z.object({
      id: z.string(),
      role,
      name: z.string().nullable(),
      memberId: z.string().nullable(),
      createdAt: z.iso.datetime(),
      expiresAt: z.iso.datetime().nullable(),
      revokedAt: z.iso.datetime().nullable(),
      lastSeenAt: z.iso.datetime().nullable(),
    }),
  ),
});
export type InvitesReply = z.infer<typeof invitesReply>;

/** `POST /v1/invites/revoke` body (owner/admin token): the invite (token id) to revoke. */
export const revokeInviteRequest = z.object({ id: z.string().min(1).max(200) });

/** The body of every refusal (4xx, 5xx). */
export const errorReply = z.object({ error: z.string() });
export type ErrorReply = z.infer<typeof errorReply>;

/** The first problem of a failed parse, as `field: problem` ("(body)" for the whole value). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'unreadable';
}
