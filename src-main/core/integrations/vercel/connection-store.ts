/**
 * This machine's Vercel connection: the person's token, sealed by main (Electron's safeStorage,
 * the web host's key file) and kept in LOCAL settings — never in a synced doc (each teammate uses
 * their own token) and never in plaintext on disk or in logs. The account shown about it is kept
 * beside it, so `account()` spends no request. Same rule as GitHub's connection-store.ts.
 */
import type { VercelAccount } from '../../../contract';
import type { CoreContext } from '../../context';
import type { SecretSealer } from '../../sync/secrets';

/** The settings key (local table `settings`). */
export const vercelConnectionSetting = 'vercel:connection';

interface StoredConnection {
  /** The token as main sealed it; only main can open it. */
  sealedToken: string;
  account: VercelAccount;
  connectedAt: string;
}

export interface OpenVercelConnection {
  token: string;
  account: VercelAccount;
}

export class VercelConnectionStore {
  /** The opened token, kept in memory so main is asked once per run, not per request. */
  private open: OpenVercelConnection | null = null;
  private stored: StoredConnection | null | undefined;
  /** Bumped by every save and removal, so a token opened meanwhile is not cached over a newer one. */
  private generation = 0;

  constructor(
    private readonly ctx: CoreContext,
    private readonly sealer: SecretSealer,
  ) {}

  async account(): Promise<VercelAccount | null> {
    return (await this.read())?.account ?? null;
  }

  async connection(): Promise<OpenVercelConnection | null> {
    if (this.open) return this.open;
    const generation = this.generation;
    const stored = await this.read();
    if (!stored) return null;
    const opened = { token: await this.sealer.open(stored.sealedToken), account: stored.account };
    if (generation === this.generation) this.open = opened;
    return opened;
  }

  /** Seals and stores a token Vercel accepted (in the machine's mutation queue). */
  async save(token: string, account: VercelAccount): Promise<void> {
    const sealedToken = await this.sealer.seal(token);
    await this.ctx.mutate(null, async () => {
      const stored: StoredConnection = { sealedToken, account, connectedAt: this.ctx.now() };
      await this.ctx.settings.set(vercelConnectionSetting, stored);
      this.generation++;
      this.stored = stored;
      this.open = { token, account };
    });
  }

  /** Forgets the token (the caller is already in the machine's mutation queue). */
  async remove(): Promise<void> {
    await this.ctx.db.query('DELETE FROM settings WHERE key = $1', [vercelConnectionSetting]);
    this.generation++;
    this.stored = null;
    this.open = null;
  }

  private async read(): Promise<StoredConnection | null> {
    if (this.stored === undefined) this.stored = (await this.ctx.settings.get<StoredConnection>(vercelConnectionSetting)) ?? null;
    return this.stored;
  }
}
