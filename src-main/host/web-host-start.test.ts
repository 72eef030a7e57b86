/**
 * Starting the web host where things are not as expected: the port is taken (the default one is
 * moved past, a chosen one is refused before any database set-up), and restarts keep the tab's
 * token (one per data dir, kept beside the key file).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, webTokenFor } from './web-host';

let root: string;
let rendererDir: string;
let blocker: Server;
let takenPort: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gw-host-start-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Groundwork</title>');
  blocker = createServer();
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  takenPort = (blocker.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((done) => blocker.close(done));
  rmSync(root, { recursive: true, force: true });
});

describe('a taken port', () => {
  it('is refused in one line naming it and what to do, before the database is opened', async () => {
    // A data dir that cannot be opened (a file stands where it would be): had the host set up the
    // database first, this would be the error instead of the port's.
    const notADir = join(root, 'not-a-dir');
    writeFileSync(notADir, '');
    const start = startWebHost({ port: takenPort, dataDir: notADir, rendererDir, secretKeyFile: join(root, 'secret.key') });
    await expect(start).rejects.toThrow(
      `port ${takenPort} on 127.0.0.1 is already in use (another Groundwork, or another program): stop that program, or choose another port with --port ${takenPort + 1} (or --port 0 for any free one).`,
    );
  });

  it('is moved past when it was the default, saying so', async () => {
    const host = await startWebHost({ port: takenPort, orNextFreePort: true, dataDir: null, rendererDir });
    try {
      expect(host.port).not.toBe(takenPort);
      expect(host.notes).toEqual([`port ${takenPort} is in use, so this Groundwork uses ${host.port}.`]);
      expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(200);
    } finally {
      await host.close();
    }
  });
});

describe('the web token', () => {
  it('is one per data dir, kept beside the key file (not in the data dir), the same on every start', () => {
    const keyFile = join(root, 'config', 'secret.key');
    const dataDir = join(root, 'data');
    const first = webTokenFor(dataDir, keyFile);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(webTokenFor(dataDir, keyFile)).toBe(first);
    expect(webTokenFor(join(root, 'data', '.'), keyFile)).toBe(first); // the same dir, however it is written
    expect(webTokenFor(join(root, 'other-data'), keyFile)).not.toBe(first);
    expect(readdirSync(join(root, 'config', 'web-tokens'))).toHaveLength(2);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('lets a page tell a wrong token from a host that is away', async () => {
    const host = await startWebHost({ port: 0, dataDir: null, rendererDir });
    try {
      const probe = (token: string) => fetch(`http://127.0.0.1:${host.port}/api?token=${encodeURIComponent(token)}`).then((r) => r.status);
      expect(await probe(host.token)).toBe(204);
      expect(await probe('an-old-token')).toBe(401);
    } finally {
      await host.close();
    }
  });
});

describe('npm run web with a taken --port', () => {
  it('prints one line naming the port and what to do, and exits non-zero', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), '--port', String(takenPort), '--data-dir', join(root, 'cli-data'), '--key-file', join(root, 'cli.key')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line && !line.startsWith('{')); // pino's JSON lines aside
    expect(lines).toEqual([`Groundwork web: port ${takenPort} on 127.0.0.1 is already in use (another Groundwork, or another program): stop that program, or choose another port with --port ${takenPort + 1} (or --port 0 for any free one).`]);
    expect(existsSync(join(root, 'cli-data'))).toBe(false); // refused before the data dir was touched
  });
});
