/**
 * A small website with known defects, served on 127.0.0.1 port 0, for site-audit tests (and
 * benches): every page is clean except for the one defect its path names, so each finding code
 * has a page that must produce it and only it. Pages can be changed while it runs (a fix between
 * two audits) and it counts the requests each path received.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageSpec {
  title?: string | null;
  description?: string | null;
  canonical?: boolean;
  h1?: number;
  robots?: string;
  robotsHeader?: string;
  openGraph?: boolean;
  images?: { src: string; alt?: string }[];
  links?: string[];
  status?: number;
  /** Milliseconds before the answer; Infinity never answers (a hanging server). */
  delayMs?: number;
  body?: string;
}

export interface TestSite {
  origin: string;
  url(path: string): string;
  /** Sets (or replaces) the page at `path`. */
  page(path: string, spec: PageSpec): void;
  hits(path: string): number;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function html(origin: string, path: string, spec: PageSpec): string {
  const head: string[] = ['<meta charset="utf-8">'];
  const title = spec.title === undefined ? `Page ${path}` : spec.title;
  if (title !== null) head.push(`<title>${escapeHtml(title)}</title>`);
  const description = spec.description === undefined ? `About ${path}` : spec.description;
  if (description !== null) head.push(`<meta name="description" content="${escapeHtml(description)}">`);
  if (spec.canonical !== false) head.push(`<link rel="canonical" href="${origin}${path}">`);
  if (spec.robots) head.push(`<meta name="robots" content="${escapeHtml(spec.robots)}">`);
  if (spec.openGraph !== false) {
    head.push(`<meta property="og:title" content="${escapeHtml(title ?? path)}">`);
    head.push(`<meta property="og:description" content="About ${escapeHtml(path)}">`);
    head.push(`<meta property="og:image" content="${origin}/logo.png">`);
  }
  const body: string[] = [];
  for (let i = 0; i < (spec.h1 ?? 1); i++) body.push(`<h1>Heading ${i + 1}</h1>`);
  for (const img of spec.images ?? [{ src: '/logo.png', alt: 'Logo' }]) {
    body.push(img.alt === undefined ? `<img src="${img.src}">` : `<img src="${img.src}" alt="${escapeHtml(img.alt)}">`);
  }
  for (const link of spec.links ?? ['/']) body.push(`<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`);
  if (spec.body) body.push(spec.body);
  return `<!doctype html><html><head>${head.join('')}</head><body>${body.join('\n')}</body></html>`;
}

// A 1×1 transparent PNG, so images load without a 404 of their own.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export async function startTestSite(pages: Record<string, PageSpec> = {}): Promise<TestSite> {
  const specs = new Map(Object.entries(pages));
  const hits = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  let origin = '';

  function answer(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', origin).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/logo.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      res.end(req.method === 'HEAD' ? undefined : png);
      return;
    }
    const spec = specs.get(path);
    if (!spec) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(req.method === 'HEAD' ? undefined : '<!doctype html><title>Not found</title><h1>Not found</h1>');
      return;
    }
    const send = () => {
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
      if (spec.robotsHeader) headers['x-robots-tag'] = spec.robotsHeader;
      res.writeHead(spec.status ?? 200, headers);
      res.end(req.method === 'HEAD' ? undefined : html(origin, path, spec));
    };
    if (spec.delayMs === Infinity) hanging.add(res);
    else if (spec.delayMs) setTimeout(send, spec.delayMs);
    else send();
  }

  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    page: (path, spec) => void specs.set(path, spec),
    hits: (path) => hits.get(path) ?? 0,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port taken, then released). */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
