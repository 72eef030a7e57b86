/**
 * Electron main's side of the MainApi contract: what the core (in its utility process) may ask of
 * main, served over the same RPC the renderer uses (serve + a MessagePort). Electron's modules are
 * given in structurally, so the logic — the keychain checks above all — runs under vitest with fakes.
 */
import { ApiError, type Transport } from '../contract';
import { serveMain } from '../core/main/serve-main';

/** The part of Electron's safeStorage main uses. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  /** Linux only: 'basic_text' means a hard-coded password, i.e. no protection. */
  getSelectedStorageBackend(): string;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
}

/** What main's handlers use of Electron (structural: tests pass fakes). */
export interface MainDeps {
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  openExternal(url: string): Promise<void>;
  showNotification(title: string, body: string): void;
  chooseFolder(title: string | undefined): Promise<string | null>;
  /** Electron's powerMonitor 'resume' / 'suspend'. */
  onPower(event: 'resume' | 'suspend', listener: () => void): () => void;
  /** Respawns the core's utility process (restoring a backup first), after the call is answered. */
  restartCore(request: { restoreFrom?: string }): void;
}

const noKeyringHelp =
  'Install and unlock a keyring (GNOME Keyring or KWallet), or use the web host (`npm run web`), which keeps its key in a file only you can read.';

/** Seals and opens with the OS keychain; every failure is an UNAVAILABLE error saying what to do. */
export function keychainSecrets(storage: SafeStorageLike, platform: NodeJS.Platform) {
  const refuse = (message: string) => new ApiError('UNAVAILABLE', message);
  const checkKeychain = async () => {
    let available: boolean;
    try {
      available = await storage.isAsyncEncryptionAvailable();
      // Without a keyring, Chromium on Linux "encrypts" with a password compiled into it.
      if (available && platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') {
        throw refuse(`Team sync tokens cannot be stored safely on this machine: no system keyring was found. ${noKeyringHelp}`);
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw refuse(`Team sync tokens cannot be stored: the system keychain failed (${(error as Error).message}).`);
    }
    if (!available) {
      throw refuse(`Team sync tokens cannot be stored: the system keychain is not available to Groundwork on this machine.${platform === 'linux' ? ` ${noKeyringHelp}` : ''}`);
    }
  };
  return {
    async seal(plaintext: string): Promise<string> {
      await checkKeychain();
      try {
        return (await storage.encryptStringAsync(plaintext)).toString('base64');
      } catch (error) {
        throw refuse(`The system keychain refused to store a team sync token: ${(error as Error).message}`);
      }
    },
    async open(sealed: string): Promise<string> {
      await checkKeychain();
      try {
        return (await storage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result;
      } catch {
        throw refuse(
          'A stored team sync token could not be opened with this machine’s keychain (it was stored by another user or machine, or the keychain was reset). ' +
            'Leave the workspace and join it again with a new invite.',
        );
      }
    },
  };
}

/** Serves MainApi on a transport to the core with Electron's modules; returns its stop. */
export function serveMainApi(transport: Transport, deps: MainDeps, log?: { debug(obj: object, msg?: string): void }): () => void {
  const { seal, open } = keychainSecrets(deps.safeStorage, deps.platform);
  return serveMain(
    transport,
    {
      seal,
      open,
      openExternal: (url) => deps.openExternal(url),
      showNotification: ({ title, body }) => deps.showNotification(title, body),
      chooseFolder: (title) => deps.chooseFolder(title),
      restartCore: (request) => deps.restartCore(request),
      on: (event, listener) => deps.onPower(event === 'power.resumed' ? 'resume' : 'suspend', () => listener({ at: new Date().toISOString() })),
    },
    log,
  );
}
