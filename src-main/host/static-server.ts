/**
 * HTTP handler for the built renderer: GET/HEAD only, files inside the root only, the app's CSP on
 * every answer.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { locateStaticFile, staticHeaders } from './static-files';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function staticFileHandler(root: string, csp: string): RequestHandler {
  return (req, res) => {
    void respond(root, csp, req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    });
  };
}

async function respond(root: string, csp: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return plain(res, 405, 'Method not allowed');
  }
  // The raw path, not a parsed URL: parsing would already have folded some `..` segments away.
  const rawPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
  const target = await locateStaticFile(root, rawPath);
  if (!target) return plain(res, 404, 'Not found');

  res.writeHead(200, staticHeaders(target, csp));
  if (req.method === 'HEAD') return void res.end();
  createReadStream(target)
    .on('error', () => res.destroy())
    .pipe(res);
}

function plain(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
