import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aesSealer, keyFileSealer } from './secrets';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Flips one bit of the sealed bytes at `index` (counted in the decoded payload). */
function tamper(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice('v1:'.length), 'base64');
  raw[index]! ^= 0x01;
  return `v1:${raw.toString('base64')}`;
}

describe('keyFileSealer', () => {
  it('creates its key file (in a new folder) readable by this user only', () => {
    const keyFile = join(tempDir(), 'config', 'groundwork', 'secret.key');
    keyFileSealer(keyFile);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    if (process.platform === 'win32') {
      console.log('skipped the mode check: Windows has no POSIX file modes (the key file inherits the folder ACL)');
      return;
    }
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('tightens a key file that others can read', () => {
    if (process.platform === 'win32') {
      console.log('skipped: Windows has no POSIX file modes');
      return;
    }
    const keyFile = join(tempDir(), 'secret.key');
    keyFileSealer(keyFile);
    chmodSync(keyFile, 0o644);
    keyFileSealer(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('round-trips, and a second sealer on the same key file (a restart) opens what the first sealed', async () => {
    const keyFile = join(tempDir(), 'secret.key');
    const first = keyFileSealer(keyFile);
    const sealed = await first.seal('eyJhbGciOiJIUzI1NiJ9.token.sig');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('token');
    expect(await first.open(sealed)).toBe('eyJhbGciOiJIUzI1NiJ9.token.sig');
    expect(await keyFileSealer(keyFile).open(sealed)).toBe('eyJhbGciOiJIUzI1NiJ9.token.sig');
    // A fresh IV each time: sealing the same text twice gives different ciphertexts.
    expect(await first.seal('same')).not.toBe(await first.seal('same'));
  });

  it('refuses tampered ciphertexts, tags and IVs (AES-GCM authentication), and another key', async () => {
    const sealer = keyFileSealer(join(tempDir(), 'secret.key'));
    const sealed = await sealer.seal('relay token');
    const why = /could not be opened: it was sealed with another key or has been altered/;
    await expect(sealer.open(tamper(sealed, 30))).rejects.toThrow(why); // ciphertext
    await expect(sealer.open(tamper(sealed, 14))).rejects.toThrow(why); // auth tag
    await expect(sealer.open(tamper(sealed, 0))).rejects.toThrow(why); // IV
    await expect(sealer.open('v1:AAAA')).rejects.toThrow(why); // truncated
    await expect(sealer.open('plaintext')).rejects.toThrow(why);
    await expect(keyFileSealer(join(tempDir(), 'secret.key')).open(sealed)).rejects.toThrow(why);
  });

  it('says which file is wrong when the key file does not hold a key', () => {
    const keyFile = join(tempDir(), 'secret.key');
    writeFileSync(keyFile, 'not a key');
    expect(() => keyFileSealer(keyFile)).toThrow(`The secret key file ${keyFile} does not hold a 32-byte base64 key`);
  });
});

describe('aesSealer', () => {
  it('needs a 32-byte key', () => {
    expect(() => aesSealer(new Uint8Array(16))).toThrow('32 bytes');
  });
});
