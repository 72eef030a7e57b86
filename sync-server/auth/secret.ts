/**
 * The signing secret: RELAY_SECRET when set (required to be shared by every instance on one
 * Postgres), otherwise generated once and kept in the data dir, readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'relay-secret';
const MIN_SECRET_LENGTH = 32;

export function secretFromText(text: string, source: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) throw new Error(`${source} is too short: use at least ${MIN_SECRET_LENGTH} characters`);
  return new TextEncoder().encode(trimmed);
}

/** Reads the data dir's secret, creating it (mode 0600) the first time. */
export function dataDirSecret(dataDir: string): Uint8Array {
  const path = join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Modes mean nothing on Windows; elsewhere a readable secret lets anyone mint tokens.
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new Error(`${path} is readable by other users: run chmod 600 on it`);
  }
  return secretFromText(readFileSync(path, 'utf8'), path);
}
