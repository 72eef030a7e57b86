/**
 * Secrets (relay tokens) never sit in plaintext: the core stores only what a `SecretSealer`
 * sealed. Electron seals with the OS keychain (safeStorage); the web host and tests with an
 * AES-256-GCM key kept outside the data dir, so a copied or backed-up data dir holds no token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SecretSealer {
  seal(plaintext: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export function aesSealer(key: Uint8Array): SecretSealer {
  if (key.length !== 32) throw new Error('A secret key must be 32 bytes');
  return {
    async seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    async open(sealed) {
      const raw = Buffer.from(sealed.replace(/^v1:/, ''), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** A sealer whose key lives in `keyFile` (created once, readable by this user only). */
export function keyFileSealer(keyFile: string): SecretSealer {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(keyFile, 0o600);
  return aesSealer(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));
}

/** For tests and in-memory cores: a key that lives as long as the process. */
export const ephemeralSealer = (): SecretSealer => aesSealer(randomBytes(32));
