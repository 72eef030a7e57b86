/**
 * Secrets (relay tokens) never sit in plaintext: the core stores only what a `SecretSealer`
 * sealed. Electron seals with the OS keychain (safeStorage); the web host and tests with an
 * AES-256-GCM key kept outside the data dir, so a copied or backed-up data dir holds no token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '../../contract';

export interface SecretSealer {
  seal(plaintext: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function aesSealer(key: Uint8Array): SecretSealer {
  if (key.length !== 32) throw new Error('A secret key must be 32 bytes');
  return {
    async seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    async open(sealed) {
      const raw = Buffer.from(sealed.replace(/^v1:/, ''), 'base64');
      try {
        if (!sealed.startsWith('v1:') || raw.length < IV_BYTES + TAG_BYTES) throw new Error('not a sealed secret');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // GCM's tag check is what fails here: the key is another one, or the text was altered.
        // An ApiError, so the person sees why (not a generic INTERNAL) and what to do.
        throw new ApiError(
          'UNAVAILABLE',
          'A stored secret could not be opened: it was sealed with another key or has been altered. Leave the workspace and join it again with a new invite.',
        );
      }
    },
  };
}

/**
 * A sealer whose key lives in `keyFile`: created on first use (32 random bytes, base64), see
 * `readOrCreateSecretFile`.
 */
export function keyFileSealer(keyFile: string): SecretSealer {
  const text = readOrCreateSecretFile(keyFile, () => randomBytes(32).toString('base64'));
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`The secret key file ${keyFile} does not hold a 32-byte base64 key; move it away to have a new one made (stored relay tokens then need new invites).`);
  return aesSealer(key);
}

/**
 * The trimmed text of a per-user secret file, created with `make()` on first use (mode 0600 — on
 * Windows the mode is ignored and the file inherits the folder's ACL, which for the per-user
 * app-data folder is this user only). Two processes creating it at once agree: the loser of the
 * exclusive create reads the winner's text.
 */
export function readOrCreateSecretFile(path: string, make: () => string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, `${make()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (createError) {
      if ((createError as NodeJS.ErrnoException).code !== 'EEXIST') throw createError;
    }
    text = readFileSync(path, 'utf8');
  }
  // Tightens a file someone made readable to others (a no-op on Windows).
  chmodSync(path, 0o600);
  return text.trim();
}

/** For tests and in-memory cores: a key that lives as long as the process. */
export const ephemeralSealer = (): SecretSealer => aesSealer(randomBytes(32));
