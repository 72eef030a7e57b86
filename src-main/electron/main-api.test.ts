/**
 * The MainApi between the core and Electron main, over the real RPC (serve + connect) on a real
 * MessagePort, with Electron's modules replaced by structural fakes: the keychain's checks, what
 * reaches the browser and the notification centre, power events by subscription, and the core's
 * sealer giving up in words when main never answers.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type MainApi, type MainEvents } from '../contract';
import { mainSealer } from '../core/main/main-client';
import { inProcessPair } from '../rpc/in-process';
import { messagePortTransport, type MessagePortLike } from '../rpc/message-port';
import { serveMainApi, type MainDeps, type SafeStorageLike } from './main-api';

/** A stand-in for safeStorage: real AES-GCM under a key that plays the OS keychain. */
function fakeSafeStorage(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    async encryptStringAsync(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decryptStringAsync(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return { result: Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8') };
    },
    ...overrides,
  };
}

/** Node's MessagePort in the shape of Electron's MessagePortMain (listeners get `{ data }`). */
function electronShaped(port: MessagePort): MessagePortLike {
  const wrapped = new Map<unknown, (...args: unknown[]) => void>();
  return {
    on: (event: 'message' | 'close', listener: (...args: never[]) => void) => {
      const fn = event === 'message' ? (data: unknown) => (listener as (e: { data: unknown }) => void)({ data }) : listener;
      wrapped.set(listener, fn as (...args: unknown[]) => void);
      port.on(event, fn as (...args: unknown[]) => void);
    },
    off: (event: 'message' | 'close', listener: unknown) => port.off(event, wrapped.get(listener)!),
    postMessage: (message: unknown) => port.postMessage(message),
    start: () => port.start(),
    close: () => port.close(),
  } as MessagePortLike;
}

const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((p) => p.close()));

/** Main serving `deps` on one end of a real MessageChannel; the core's client on the other. */
function mainWith(overrides: Partial<MainDeps> = {}) {
  const opened: string[] = [];
  const shown: string[] = [];
  const restarts: { restoreFrom?: string }[] = [];
  const power = new Map<string, Set<() => void>>();
  const deps: MainDeps = {
    safeStorage: fakeSafeStorage(),
    platform: 'linux',
    openExternal: async (url) => void opened.push(url),
    showNotification: (title, body) => void shown.push(`${title}: ${body}`),
    chooseFolder: async (title) => `/home/ana/${title ?? 'folder'}`,
    restartCore: (request) => void restarts.push(request),
    onPower(event, listener) {
      const set = power.get(event) ?? new Set();
      power.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    ...overrides,
  };
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveMainApi(messagePortTransport(electronShaped(port1)), deps);
  const main = connect<MainApi, MainEvents>(messagePortTransport(electronShaped(port2)));
  const firePower = (event: 'resume' | 'suspend') => power.get(event)?.forEach((listener) => listener());
  return { main, opened, shown, restarts, firePower };
}

describe('MainApi over the RPC', () => {
  it('passes a restart with its restore request to main, and refuses a bad one naming the field', async () => {
    const { main, restarts } = mainWith();
    await main.api.app.restart({ restoreFrom: '/home/ana/backups/groundwork-backup.tar.gz' });
    await expect(main.api.app.restart({ restoreFrom: '' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/restoreFrom/) });
    expect(restarts).toEqual([{ restoreFrom: '/home/ana/backups/groundwork-backup.tar.gz' }]);
  });

  it('seals and opens a secret with the keychain; the core sees only the sealed text', async () => {
    const { main } = mainWith();
    const sealer = mainSealer(main);
    const sealed = await sealer.seal('relay-token-123');
    expect(sealed).not.toContain('relay-token-123');
    expect(Buffer.from(sealed, 'base64').toString('utf8')).not.toContain('relay-token-123');
    expect(await sealer.open(sealed)).toBe('relay-token-123');
  });

  it('refuses on Linux when safeStorage would fall back to a hard-coded password (basic_text)', async () => {
    const { main } = mainWith({ safeStorage: fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }) });
    await expect(main.api.secrets.seal({ plaintext: 'x' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/cannot be stored safely on this machine/),
    });
    // The backend is a Linux notion: elsewhere it is not consulted.
    const windows = mainWith({ platform: 'win32', safeStorage: fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }) });
    await expect(windows.main.api.secrets.seal({ plaintext: 'x' })).resolves.toHaveProperty('sealed');
  });

  it('says what to do when the keychain is unavailable, fails, or cannot open a stored token', async () => {
    const unavailable = mainWith({ safeStorage: fakeSafeStorage({ isAsyncEncryptionAvailable: async () => false }) });
    await expect(unavailable.main.api.secrets.seal({ plaintext: 'x' })).rejects.toMatchObject({ message: expect.stringMatching(/not available.*GNOME Keyring or KWallet/) });
    const denied = mainWith({
      safeStorage: fakeSafeStorage({
        encryptStringAsync: async () => {
          throw new Error('user denied');
        },
      }),
    });
    await expect(denied.main.api.secrets.seal({ plaintext: 'x' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'The system keychain refused to store a team sync token: user denied',
    });
    // Sealed by one keychain, opened by another (another machine, a reset keychain).
    const { sealed } = await mainWith().main.api.secrets.seal({ plaintext: 'x' });
    await expect(mainWith().main.api.secrets.open({ sealed })).rejects.toMatchObject({ message: expect.stringMatching(/could not be opened.*join it again with a new invite/) });
  });

  it('opens only http(s) addresses, shows notifications, asks for folders', async () => {
    const { main, opened, shown } = mainWith();
    await main.api.shell.openExternal({ url: 'https://github.com/acme/web/pull/12' });
    await expect(main.api.shell.openExternal({ url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'url' } });
    await expect(main.api.shell.openExternal({ url: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(opened).toEqual(['https://github.com/acme/web/pull/12']);
    await main.api.notify.show({ title: 'Deploy failed', body: 'web@main: build error' });
    expect(shown).toEqual(['Deploy failed: web@main: build error']);
    expect(await main.api.dialog.chooseFolder({ title: 'Backups' })).toEqual({ path: '/home/ana/Backups' });
  });

  it('sends power events only once subscribed', async () => {
    const { main, firePower } = mainWith();
    const resumed: string[] = [];
    main.on('power.resumed', ({ at }) => resumed.push(at));
    firePower('resume');
    await main.api.dialog.chooseFolder({}); // a round trip: anything sent before it has arrived
    expect(resumed).toEqual([]);
    await main.api.events.subscribe({ event: 'power.resumed' });
    firePower('resume');
    firePower('suspend'); // not subscribed
    await main.api.dialog.chooseFolder({});
    expect(resumed).toHaveLength(1);
    expect(Date.parse(resumed[0]!)).toBeGreaterThan(0);
  });

  it('the core gives up on a main that never answers, in words', async () => {
    const [coreEnd] = inProcessPair(); // nobody serves the other end
    const sealer = mainSealer(connect<MainApi, MainEvents>(coreEnd), 50);
    await expect(sealer.open('x')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/did not read a team sync token/) });
  });
});
