/**
 * This machine's GitHub connection: the person's token, sealed by main (Electron's safeStorage,
 * the web host's key file) and kept in LOCAL settings — never in a synced doc (each teammate uses
 * their own token) and never in plaintext on disk or in logs. What is shown about it (login,
 * scopes, rate limit) is kept beside it, so `account()` spends no request.
 */
import type { GithubAccount } from '../../../contract';
import type { CoreContext } from '../../context';
import type { SecretSealer } from '../../sync/secrets';

/** The settings key (local table `settings`). */
export const connectionSetting = 'github:connection';

interface StoredConnection {
  /** The token as main sealed it; only main can open it. */
  sealedToken: string;
  baseUrl: string;
  login: string;
  scopes: string[];
  rateLimit: GithubAccount['rateLimit'];
  connectedAt: string;
}

export interface OpenConnection {
  token: string;
  baseUrl: string;
}

export class ConnectionStore {
  /** The opened token, kept in memory so main is asked once per run, not per request. */
  private open: OpenConnection | null = null;
  private stored: StoredConnection | null | undefined;
  /** Bumped by every save and removal, so a token opened meanwhile is not cached over a newer one. */
  private generation = 0;

  constructor(
    private readonly ctx: CoreContext,
    private readonly sealer: SecretSealer,
  ) {}

  async account(): Promise<GithubAccount | null> {
    const stored = await this.read();
    return stored ? { login: stored.login, scopes: stored.scopes, rateLimit: stored.rateLimit, baseUrl: stored.baseUrl } : null;
  }

  /** The token and address to call GitHub with, or null when not connected. */
  async connection(): Promise<OpenConnection | null> {
    if (this.open) return this.open;
    const generation = this.generation;
    const stored = await this.read();
    if (!stored) return null;
    const opened = { token: await this.sealer.open(stored.sealedToken), baseUrl: stored.baseUrl };
    if (generation === this.generation) this.open = opened;
    return opened;
  }

  /** Seals and stores a token GitHub accepted (a machine-local mutation: in the machine's queue). */
  async save(token: string, account: GithubAccount): Promise<void> {
    const sealedToken = await this.sealer.seal(token);
    await this.ctx.mutate(null, async () => {
      const stored: StoredConnection = { sealedToken, ...account, connectedAt: this.ctx.now() };
      await this.ctx.settings.set(connectionSetting, stored);
      this.generation++;
      this.stored = stored;
      this.open = { token, baseUrl: account.baseUrl };
    });
  }

  /** Forgets the token (the caller is already in the machine's mutation queue). */
  async remove(): Promise<void> {
    await this.ctx.db.query('DELETE FROM settings WHERE key = $1', [connectionSetting]);
    this.generation++;
    this.stored = null;
    this.open = null;
  }

  /** What the latest answer said about the rate limit and scopes; kept in memory, stored with the next save. */
  noteHeaders(update: { rateLimit: GithubAccount['rateLimit'] | null; scopes: string[] | null }): void {
    if (!this.stored) return;
    if (update.rateLimit) this.stored = { ...this.stored, rateLimit: update.rateLimit };
    if (update.scopes) this.stored = { ...this.stored, scopes: update.scopes };
  }

  private async read(): Promise<StoredConnection | null> {
    if (this.stored === undefined) this.stored = (await this.ctx.settings.get<StoredConnection>(connectionSetting)) ?? null;
    return this.stored;
  }
}
