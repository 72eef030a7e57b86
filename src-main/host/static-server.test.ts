import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';
import { resolveStaticPath } from './static-files';
import { staticFileHandler } from './static-server';

let dir: string;
let root: string;
let server: Server;
let port: number;

/** The renderer's real favicons (vite copies src-renderer/public/ to the root of the build). */
const publicDir = join(import.meta.dirname, '..', '..', 'src-renderer', 'public');
const favicons = ['favicon.svg', 'favicon-32.png'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gw-static-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  for (const name of favicons) copyFileSync(join(publicDir, name), join(root, name));
  // A sibling whose name starts like the root: a naive prefix check would let it through.
  mkdirSync(join(dir, 'renderer-secret'));
  writeFileSync(join(dir, 'renderer-secret', 'key.txt'), 'secret');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  server = createServer(staticFileHandler(root, contentSecurityPolicy));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Raw request: the path goes on the wire exactly as written (no client-side normalisation). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('staticFileHandler', () => {
  it('serves index.html at / with the CSP and a content type', async () => {
    const res = await get('/?token=abc');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>app</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content type and the CSP', async () => {
    const res = await get('/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy);
  });

  it('serves the favicons byte for byte as image/svg+xml and image/png, under the CSP', async () => {
    const types: Record<string, string> = { 'favicon.svg': 'image/svg+xml', 'favicon-32.png': 'image/png' };
    for (const name of favicons) {
      const res = await get(`/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers['content-type'], name).toBe(types[name]);
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
      expect(res.headers['content-security-policy'], name).toBe(contentSecurityPolicy);
      expect(res.bytes.equals(readFileSync(join(publicDir, name))), name).toBe(true);
    }
    // The page's policy lets it show them: images from its own origin.
    expect(contentSecurityPolicy).toMatch(/(?:^|; )img-src [^;]*'self'/);
  });

  it('falls back to index.html for in-app paths, but not for missing assets', async () => {
    expect((await get('/projects/123')).body).toContain('<title>app</title>');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('blocks directory traversal in every spelling', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/../renderer-secret/key.txt',
      '/%2e%2e%2frenderer-secret%2fkey.txt',
      '/%00index.html',
      '/%E0%A4%A',
    ]) {
      const res = await get(path);
      expect(res.body, path).not.toContain('secret');
      expect(res.status, path).toBe(404);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get('/', 'POST')).status).toBe(405);
  });
});

describe('resolveStaticPath', () => {
  it('keeps paths inside the root', () => {
    expect(resolveStaticPath('/srv/app', '/')).toBe(join('/srv/app', 'index.html'));
    expect(resolveStaticPath('/srv/app', '/a/b.js')).toBe(join('/srv/app', 'a', 'b.js'));
    expect(resolveStaticPath('/srv/app', '/a/../b.js')).toBe(join('/srv/app', 'b.js'));
    expect(resolveStaticPath('/srv/app', '/../app2/x')).toBeNull();
    expect(resolveStaticPath('/srv/app', '/..')).toBeNull();
  });
});
