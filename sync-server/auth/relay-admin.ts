/**
 * The relay's administrative operations — create a workspace, issue a token (an invite), revoke
 * one — over its store and secret. The running relay, its HTTP routes and the CLI (when no relay
 * holds the data dir) all go through this one implementation.
 */
import { uuidv7 } from 'uuidv7';
import type { RelayStore, Role } from '../storage/relay-store';
import { buildInvite, parseDuration, signToken, type TokenClaims } from './tokens';

export interface IssueTokenInput {
  workspace: string;
  role: Role;
  /** Who the token is for, shown in logs and `whoami`. */
  name?: string | null;
  /** '30d', '12h', … or seconds; omitted: the token does not expire (revoke it instead). */
  expiresIn?: string | number | null;
}

export interface IssuedToken {
  token: string;
  jti: string;
  /** `groundwork://join?relay=<ws url>&token=<jwt>` */
  invite: string;
  claims: TokenClaims;
}

export interface CreatedWorkspace {
  workspace: { id: string; name: string };
  owner: IssuedToken;
}

/** Thrown for requests that name something wrong (unknown workspace, taken id, unknown token). */
export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}

const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class RelayAdmin {
  constructor(
    private readonly store: RelayStore,
    private readonly secret: Uint8Array,
    /** The URL clients reach the relay at, written into invites. */
    private readonly publicUrl: () => string,
    /** Told about each revocation, so the running relay closes that token's connections at once. */
    private readonly onRevoked: (jti: string) => void = () => {},
  ) {}

  async createWorkspace({ name, id = uuidv7() }: { name: string; id?: string }): Promise<CreatedWorkspace> {
    if (!name.trim()) throw new AdminError('workspace name is empty', 400);
    if (!WORKSPACE_ID.test(id)) throw new AdminError(`invalid workspace id "${id}": use 1–128 letters, digits, _ or -`, 400);
    if (!(await this.store.createWorkspace(id, name.trim()))) throw new AdminError(`workspace ${id} already exists`, 409);
    const owner = await this.issueToken({ workspace: id, role: 'owner', name: 'owner' });
    return { workspace: { id, name: name.trim() }, owner };
  }

  async issueToken({ workspace, role, name = null, expiresIn = null }: IssueTokenInput): Promise<IssuedToken> {
    if ((await this.store.workspaceName(workspace)) === null) {
      throw new AdminError(`no workspace ${workspace} on this relay: create it first (workspace create)`, 404);
    }
    let expiresInSeconds: number | null;
    try {
      expiresInSeconds = expiresIn === null ? null : typeof expiresIn === 'number' ? expiresIn : parseDuration(expiresIn);
    } catch (error) {
      throw new AdminError((error as Error).message, 400);
    }
    const { token, claims } = await signToken(this.secret, { workspace, role, name, expiresInSeconds });
    await this.store.recordToken({
      jti: claims.jti,
      workspace,
      role,
      name,
      expiresAt: claims.exp === null ? null : new Date(claims.exp * 1000),
    });
    return { token, jti: claims.jti, invite: buildInvite(this.publicUrl(), token), claims };
  }

  async revokeToken(jti: string): Promise<void> {
    if (!(await this.store.revokeToken(jti))) throw new AdminError(`no token with id ${jti}`, 404);
    this.onRevoked(jti);
  }
}
