/**
 * Serving the built renderer from a folder, shared by the web host (HTTP) and the Electron app
 * (its `groundwork://` protocol handler), so both resolve paths and content types the same way.
 */
import { stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  const ext = dot >= 0 ? file.slice(dot).toLowerCase() : '';
  return contentTypes[ext] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root`, or null when it would leave `root` (`..`, encoded
 * separators, absolute or drive paths), is not valid percent-encoding, or holds a NUL byte.
 * `/` names index.html. Existence is the caller's business.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  if (decoded === '' || decoded.endsWith('/')) decoded += 'index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + (decoded.startsWith('/') ? '' : '/') + decoded);
  const rel = relative(base, file);
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return null;
  return file;
}

/**
 * The file to answer a URL path with: the named file if it exists inside `root`; index.html for a
 * path without an extension (an in-app route, so reloads work); otherwise null (a 404).
 */
export async function locateStaticFile(root: string, urlPath: string): Promise<string | null> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return null;
  if (await isFile(file)) return file;
  const index = join(resolve(root), 'index.html');
  return extname(file) === '' && (await isFile(index)) ? index : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Security headers for every response carrying app content. */
export function staticHeaders(file: string, csp: string): Record<string, string> {
  return {
    'Content-Type': contentTypeFor(file),
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    // The web host's URL carries its token: never leak it in a Referer.
    'Referrer-Policy': 'no-referrer',
    // Served from this machine: revalidating costs nothing and a rebuild is never hidden by a cache.
    'Cache-Control': 'no-cache',
  };
}
