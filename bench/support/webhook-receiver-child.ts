/**
 * The webhooks bench's receiver, in its own process (as a real receiver runs elsewhere): answers
 * every POST with 204 and records, per path, each request's `webhook-id` and its change (the
 * task's title, `change-N`) with the arrival time (wall clock, shared with the bench's process).
 * `GET /stats` answers what it saw; prints its base URL as one JSON line, then serves until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface PathStats {
  requests: number;
  ids: Map<string, number>;
  /** change-N → arrival (ms since the epoch), the first arrival of each. */
  arrivals: Record<string, number>;
}
const byPath = new Map<string, PathStats>();

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const stats = Object.fromEntries(
      [...byPath].map(([path, s]) => [path, { requests: s.requests, unique: s.ids.size, duplicates: [...s.ids.values()].filter((n) => n > 1).length, arrivals: s.arrivals }]),
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    const path = req.url ?? '/';
    const stats: PathStats = byPath.get(path) ?? { requests: 0, ids: new Map(), arrivals: {} };
    byPath.set(path, stats);
    stats.requests++;
    const id = String(req.headers['webhook-id'] ?? '');
    stats.ids.set(id, (stats.ids.get(id) ?? 0) + 1);
    try {
      const title = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { task?: { title?: string } } }).data?.task?.title;
      if (title && stats.arrivals[title] === undefined) stats.arrivals[title] = at;
    } catch {
      // not JSON: counted, not timed
    }
    res.writeHead(204).end();
  });
});
// Longer than any pause of the bench: a keep-alive socket the client reuses is never being closed meanwhile.
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
