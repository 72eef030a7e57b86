/**
 * For the "never in plaintext" tests (a GitHub or Vercel token, a webhook secret): a logger that
 * keeps every line, and a search of every file of a data dir for the secret's bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A core logger keeping each line as text, to search for a secret afterwards. */
export function capturingLogger() {
  const lines: string[] = [];
  const log = (obj: object | string, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? ''));
  return { lines, logger: { info: log, warn: log, error: log, debug: log } };
}

function* filesUnder(path: string): Generator<string> {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Every file under `dir`, and those holding any of `needles` (text or bytes). */
export function searchDataDir(dir: string, needles: readonly (string | Buffer)[]): { files: string[]; holding: string[] } {
  const wanted = needles.map((n) => (typeof n === 'string' ? Buffer.from(n) : n));
  const files = [...filesUnder(dir)];
  return { files, holding: files.filter((file) => wanted.some((needle) => readFileSync(file).includes(needle))) };
}
