/**
 * Relay tokens: HS256 JWTs (jose) naming the workspace, the role and the token id (`jti`). A
 * token is also the credential inside an invite (`groundwork://join?relay=…&token=…`). Admin
 * tokens, which the CLI mints for itself to reach a running relay, use another audience so one
 * can never stand in for the other.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { isRole, type Role } from '../../src-main/sync-protocol/roles';

// Roles and durations are shared with the app (src-main/sync-protocol); re-exported for the relay.
export { canWrite, invitableRoles, isRole, roles as ROLES, type Role } from '../../src-main/sync-protocol/roles';
export { parseDuration } from '../../src-main/sync-protocol/durations';

const WORKSPACE_AUDIENCE = 'groundwork-relay';
const ADMIN_AUDIENCE = 'groundwork-relay-admin';
const ALGORITHM = 'HS256';

export interface TokenClaims {
  workspace: string;
  role: Role;
  jti: string;
  name: string | null;
  /** Seconds since the epoch, or null for a token that does not expire. */
  exp: number | null;
}

/** Why a token was refused; `status` is the HTTP status the upgrade answers with. */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'missing' | 'malformed' | 'expired' | 'revoked' | 'unknown' | 'wrong-workspace' | 'forbidden',
    readonly status: 401 | 403,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export async function signToken(
  secret: Uint8Array,
  { workspace, role, name = null, expiresInSeconds = null }: { workspace: string; role: Role; name?: string | null; expiresInSeconds?: number | null },
): Promise<{ token: string; claims: TokenClaims }> {
  const jti = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const exp = expiresInSeconds === null ? null : now + expiresInSeconds;
  const jwt = new SignJWT({ workspace, role, ...(name === null ? {} : { name }) })
    .setProtectedHeader({ alg: ALGORITHM })
    .setJti(jti)
    .setIssuedAt(now)
    .setAudience(WORKSPACE_AUDIENCE);
  if (exp !== null) jwt.setExpirationTime(exp);
  return { token: await jwt.sign(secret), claims: { workspace, role, jti, name, exp } };
}

/** Verifies signature, audience and expiry, and the shape of the claims. Throws TokenError. */
export async function verifyToken(secret: Uint8Array, token: string | null | undefined): Promise<TokenClaims> {
  if (!token) throw new TokenError('no token: pass it as the `token` query parameter or a Bearer header', 'missing', 401);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: [ALGORITHM], audience: WORKSPACE_AUDIENCE }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError('token expired', 'expired', 401);
    throw new TokenError(`invalid token (${error instanceof Error ? error.message : 'unreadable'})`, 'malformed', 401);
  }
  const { workspace, role, jti, name, exp } = payload;
  if (typeof workspace !== 'string' || !isRole(role) || typeof jti !== 'string') {
    throw new TokenError('invalid token: it must name a workspace, a role and a token id', 'malformed', 401);
  }
  return { workspace, role, jti, name: typeof name === 'string' ? name : null, exp: typeof exp === 'number' ? exp : null };
}

/** A one-minute token that lets the CLI call a running relay's admin routes. */
export function signAdminToken(secret: Uint8Array): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: ALGORITHM }).setIssuedAt().setExpirationTime('60s').setAudience(ADMIN_AUDIENCE).sign(secret);
}

export async function verifyAdminToken(secret: Uint8Array, token: string | null | undefined): Promise<void> {
  if (!token) throw new TokenError('no admin token', 'missing', 401);
  try {
    await jwtVerify(token, secret, { algorithms: [ALGORITHM], audience: ADMIN_AUDIENCE });
  } catch {
    throw new TokenError('invalid admin token', 'malformed', 401);
  }
}

export function buildInvite(relayUrl: string, token: string): string {
  const params = new URLSearchParams({ relay: relayUrl, token });
  return `groundwork://join?${params.toString()}`;
}

export function parseInvite(invite: string): { relay: string; token: string } {
  const url = new URL(invite);
  const relay = url.searchParams.get('relay');
  const token = url.searchParams.get('token');
  if (url.protocol !== 'groundwork:' || url.host !== 'join' || !relay || !token) {
    throw new Error('not a Groundwork invite: expected groundwork://join?relay=<ws url>&token=<token>');
  }
  return { relay, token };
}
