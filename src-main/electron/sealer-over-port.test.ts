import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError } from '../contract';
import type { SecretRequest } from './core-messages';
import { answerSecretRequest, sealerOverPort, type SafeStorageLike, type SecretPort } from './sealer-over-port';

/** A fake parentPort: what the core posts goes to `main`, whose answers come back asynchronously. */
function fakePort(main: (request: SecretRequest, reply: (message: unknown) => void) => void): SecretPort & { posted: SecretRequest[] } {
  const listeners: ((message: unknown) => void)[] = [];
  const posted: SecretRequest[] = [];
  const reply = (message: unknown) => setImmediate(() => listeners.forEach((l) => l(message)));
  return {
    posted,
    post(request) {
      posted.push(structuredClone(request)); // what crosses a real port is a copy
      main(structuredClone(request), reply);
    },
    onMessage: (listener) => void listeners.push(listener),
  };
}

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

afterEach(() => {
  vi.useRealTimers();
});

describe('sealerOverPort with answerSecretRequest (both ends, fake port)', () => {
  it('seals and opens through main, and the core never sees the keychain', async () => {
    const storage = fakeSafeStorage();
    const port = fakePort((request, reply) => void answerSecretRequest(request, storage, 'linux').then(reply));
    const sealer = sealerOverPort(port);
    const sealed = await sealer.seal('relay-token');
    expect(sealed).not.toContain('relay-token');
    expect(Buffer.from(sealed, 'base64').toString('base64')).toBe(sealed);
    expect(await sealer.open(sealed)).toBe('relay-token');
    expect(port.posted.map((r) => r.type)).toEqual(['seal', 'open']);
  });

  it('matches answers to requests by id when they come back out of order', async () => {
    const held: [SecretRequest, (m: unknown) => void][] = [];
    const sealer = sealerOverPort(fakePort((request, reply) => held.push([request, reply])));
    const a = sealer.seal('a');
    const b = sealer.seal('b');
    const c = sealer.open('sealed-c');
    for (const [request, reply] of held.reverse()) {
      reply({ type: request.type === 'seal' ? 'sealed' : 'opened', id: request.id, text: `<${request.text}>` });
    }
    expect(await Promise.all([a, b, c])).toEqual(['<a>', '<b>', '<sealed-c>']);
    expect(new Set(held.map(([r]) => r.id)).size).toBe(3);
  });

  it('ignores messages that are not answers to its requests', async () => {
    const sealer = sealerOverPort(
      fakePort((request, reply) => {
        reply({ type: 'connect' });
        reply({ type: 'sealed', id: request.id + 1000, text: 'not yours' });
        reply({ type: 'sealed', id: String(request.id), text: 'bad id' });
        reply(null);
        reply({ type: 'sealed', id: request.id, text: 'yours' });
      }),
    );
    expect(await sealer.seal('x')).toBe('yours');
  });

  it('turns main’s refusal into an UNAVAILABLE error carrying main’s words', async () => {
    const storage = fakeSafeStorage({ isAsyncEncryptionAvailable: async () => false });
    const sealer = sealerOverPort(fakePort((request, reply) => void answerSecretRequest(request, storage, 'darwin').then(reply)));
    const error = await sealer.seal('t').catch((e: unknown) => e);
    expect(isApiError(error) && error.code).toBe('UNAVAILABLE');
    expect((error as Error).message).toMatch(/Team sync tokens cannot be stored: the system keychain is not available/);
  });

  it('fails with a clear error when main does not answer in time, and ignores the late answer', async () => {
    vi.useFakeTimers();
    let late: (() => void) | undefined;
    const sealer = sealerOverPort(
      fakePort((request, reply) => {
        late = () => reply({ type: 'sealed', id: request.id, text: 'too late' });
      }),
      { timeoutMs: 5000 },
    );
    const result = sealer.seal('t').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    const error = await result;
    expect(isApiError(error) && error.code).toBe('UNAVAILABLE');
    expect((error as Error).message).toMatch(/did not store a team sync token in the system keychain within 5 s/);
    vi.useRealTimers();
    late!();
    await new Promise((r) => setImmediate(r));
  });

  it('fails at once when the port cannot post', async () => {
    const sealer = sealerOverPort({
      post: () => {
        throw new Error('port closed');
      },
      onMessage: () => undefined,
    });
    await expect(sealer.open('x')).rejects.toThrow(/Could not ask the desktop app to read a team sync token: port closed/);
  });
});

describe('answerSecretRequest (main)', () => {
  const seal = { type: 'seal', id: 7, text: 'token' } as const;

  it('refuses on Linux when safeStorage would fall back to a hard-coded password (basic_text)', async () => {
    const storage = fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' });
    const answer = await answerSecretRequest(seal, storage, 'linux');
    expect(answer).toMatchObject({ type: 'secret-error', id: 7 });
    expect(answer.type === 'secret-error' && answer.message).toMatch(/Team sync tokens cannot be stored safely on this machine/);
    // The backend is a Linux notion: elsewhere it is not consulted.
    expect(await answerSecretRequest(seal, storage, 'win32')).toMatchObject({ type: 'sealed', id: 7 });
  });

  it('refuses when encryption is unavailable, with keyring advice on Linux', async () => {
    const storage = fakeSafeStorage({ isAsyncEncryptionAvailable: async () => false });
    const answer = await answerSecretRequest(seal, storage, 'linux');
    expect(answer.type === 'secret-error' && answer.message).toMatch(/not available.*GNOME Keyring or KWallet/);
  });

  it('says what to do when a stored token cannot be opened (another machine, reset keychain)', async () => {
    const sealed = await answerSecretRequest(seal, fakeSafeStorage(), 'darwin');
    expect(sealed.type).toBe('sealed');
    const answer = await answerSecretRequest({ type: 'open', id: 8, text: sealed.type === 'sealed' ? sealed.text : '' }, fakeSafeStorage(), 'darwin');
    expect(answer).toMatchObject({ type: 'secret-error', id: 8 });
    expect(answer.type === 'secret-error' && answer.message).toMatch(/could not be opened.*join it again with a new invite/);
  });

  it('reports a failing keychain instead of throwing', async () => {
    const storage = fakeSafeStorage({
      encryptStringAsync: async () => {
        throw new Error('user denied');
      },
    });
    expect(await answerSecretRequest(seal, storage, 'darwin')).toEqual({
      type: 'secret-error',
      id: 7,
      message: 'The system keychain refused to store a team sync token: user denied',
    });
  });
});
