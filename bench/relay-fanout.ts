/**
 * Relay fan-out latency: 1 writer and 49 readers in one room, all stock y-websocket clients in
 * this process; each server in its own child process. Latency is from the writer's change to the
 * moment the LAST reader has applied it. Measured in the same run against:
 *   - groundwork: our relay on a real PGlite data dir (durable append before broadcast, auth),
 *   - @y/websocket-server 0.1.1 (the reference server: no auth, no persistence), and the same
 *     with its LevelDB persistence on (YPERSISTENCE), which stores each update after broadcasting,
 *   - floor: a bare `ws` server that rebroadcasts every frame to the other sockets of the room;
 *   - pre-framed floor: the same, but each message is framed once and written to every socket
 *     with one write — the fastest rebroadcast we could write with `ws` (no storage, no auth).
 * The servers take turns over several rounds (in a rotating order), and each figure is the median
 * of its rounds: on a shared machine one round's p99 can be off by half from the next.
 *
 * The client bound: the same 49 readers' work without any server or network — each decoding the
 * sync message and applying the update, as the y-websocket provider does, one after another in
 * this process. No server can deliver to the last reader sooner than that.
 *
 *   npx tsx bench/relay-fanout.ts [--updates 1000] [--readers 49] [--rounds 5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { readSyncMessage } from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { openAdminAccess } from '../sync-server/cli/admin-access';
import { updateFrame } from '../src-main/sync-protocol/frames';
import { machine, median, numberArg, percentile, report, round } from './support/lib';

const UPDATES = numberArg('updates', 1000);
const READERS = numberArg('readers', 49);
const ROUNDS = numberArg('rounds', 5);
const WARMUP = 40;
const root = join(import.meta.dirname, '..');
// Every y-websocket provider adds a process 'exit' listener (removed on destroy): 50 at once is expected.
process.setMaxListeners(READERS + 20);

const FLOOR_SERVER = `
import { WebSocketServer } from 'ws';
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT) });
const rooms = new Map();
wss.on('connection', (ws, req) => {
  const peers = rooms.get(req.url) ?? new Set(); rooms.set(req.url, peers); peers.add(ws);
  ws.on('message', (data) => { for (const p of peers) if (p !== ws) p.send(data); });
  ws.on('close', () => peers.delete(ws));
});
wss.on('listening', () => console.log('listening'));
`;

// Frames once (ws' own framing, exported as Sender) and writes the same bytes to every socket:
// ws' send would build a header per socket and write header and payload as two buffers.
const PREFRAMED_FLOOR_SERVER = `
import { createServer } from 'node:http';
import { Sender, WebSocketServer } from 'ws';
const wss = new WebSocketServer({ noServer: true });
const rooms = new Map();
const server = createServer();
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => {
  const peers = rooms.get(req.url) ?? new Map(); rooms.set(req.url, peers); peers.set(ws, socket);
  ws.on('message', (data) => {
    const frame = Buffer.concat(Sender.frame(data, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: true }));
    for (const [peer, peerSocket] of peers) if (peer !== ws) peerSocket.write(frame);
  });
  ws.on('close', () => peers.delete(ws));
}));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

interface Target {
  name: string;
  url: string;
  room: string;
  params: Record<string, string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function spawnUntil(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (ready.test(out)) resolve(child);
    });
  });
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

async function groundwork(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'groundwork-bench-relay-'));
  const port = await freePort();
  const child = await spawnUntil(
    ['--import', 'tsx', 'sync-server/main.ts', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn', '--rate-limit', '100000'],
    {},
    /Groundwork relay: /,
  );
  const admin = await openAdminAccess({ dataDir });
  const { workspace } = await admin.createWorkspace({ name: 'Bench' });
  const { token } = await admin.issueToken({ workspace: workspace.id, role: 'member' });
  await admin.close();
  return {
    name: 'groundwork',
    url: `ws://127.0.0.1:${port}`,
    room: `${workspace.id}/fanout`,
    params: { token },
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function startReference(name: string, env: NodeJS.ProcessEnv, cleanup = () => {}) {
  return async (): Promise<Target> => {
    const port = await freePort();
    const server = createRequire(import.meta.url).resolve('@y/websocket-server/package.json').replace('package.json', 'src/server.js');
    const child = await spawnUntil([server], { ...env, HOST: '127.0.0.1', PORT: String(port) }, /running at/);
    return {
      name,
      url: `ws://127.0.0.1:${port}`,
      room: 'bench/fanout',
      params: {},
      stop: async () => {
        await stopChild(child);
        cleanup();
      },
    };
  };
}

const reference = startReference('y-websocket-server', {});
/** The reference with its own persistence (y-leveldb), which stores each update after broadcasting it. */
const persistedDir = mkdtempSync(join(tmpdir(), 'groundwork-bench-yleveldb-'));
const persistedReference = startReference('y-websocket-server-leveldb', { YPERSISTENCE: join(persistedDir, 'db') }, () =>
  rmSync(join(persistedDir, 'db'), { recursive: true, force: true }),
);

/** A server given as a script (the floors), run with `node -e` in its own process. */
function scriptServer(name: string, script: string) {
  return async (): Promise<Target> => {
    const port = await freePort();
    const child = await spawnUntil(['--input-type=module', '-e', script], { PORT: String(port) }, /listening/);
    return { name, url: `ws://127.0.0.1:${port}`, room: 'bench/fanout', params: {}, stop: () => stopChild(child) };
  };
}

const floor = scriptServer('ws-floor', FLOOR_SERVER);
const preframedFloor = scriptServer('ws-floor-preframed', PREFRAMED_FLOOR_SERVER);

async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function measure(target: Target): Promise<Figures> {
  const connect = () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(target.url, target.room, doc, {
      params: target.params,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      resyncInterval: -1,
    });
    return { doc, provider };
  };
  const writer = connect();
  const readers = Array.from({ length: READERS }, connect);
  const all = [writer, ...readers];
  try {
    // On the floor there is no server state: peers sync among themselves, so wait for connections.
    await waitFor(() => all.every((c) => c.provider.wsconnected), 30_000, 'clients to connect');
    if (!target.name.startsWith('ws-floor')) await waitFor(() => all.every((c) => c.provider.synced), 30_000, 'clients to sync');

    const counter = writer.doc.getMap<number>('bench');
    let pending = 0;
    let sentAt = 0;
    let lastArrival = 0;
    for (const reader of readers) {
      const map = reader.doc.getMap<number>('bench');
      reader.doc.on('update', () => {
        if (map.get('seq') === currentSeq) {
          pending--;
          if (pending === 0) lastArrival = performance.now();
        }
      });
    }
    let currentSeq = -1;
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + UPDATES; i++) {
      currentSeq = i;
      pending = READERS;
      sentAt = performance.now();
      counter.set('seq', i);
      await waitFor(() => pending === 0, 10_000, `update ${i} to reach every reader`);
      if (i >= WARMUP) samples.push(lastArrival - sentAt);
      await new Promise((r) => setTimeout(r, 2)); // spaced sends: latency, not throughput
    }
    samples.sort((a, b) => a - b);
    return { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), mean: round(samples.reduce((s, x) => s + x, 0) / samples.length) };
  } finally {
    // provider.destroy() leaves the provider's Awareness alive, and its 3 s check interval keeps
    // the process running; the Awareness ends with its doc.
    for (const c of all) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
}

type Figures = { p50: number; p99: number; mean: number };

/** The readers' own work for each change, back to back in this process: a floor for any server. */
function clientBound(): Figures {
  const writer = new Y.Doc();
  const readers = Array.from({ length: READERS }, () => new Y.Doc());
  let update: Uint8Array | null = null;
  writer.on('update', (u: Uint8Array) => (update = u));
  let seq = -1;
  let pending = 0;
  for (const reader of readers) {
    const map = reader.getMap<number>('bench');
    reader.on('update', () => {
      if (map.get('seq') === seq) pending--;
    });
  }
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + UPDATES; i++) {
    seq = i;
    pending = READERS;
    writer.getMap<number>('bench').set('seq', i);
    const frame = updateFrame(update!);
    const start = performance.now();
    for (const reader of readers) {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder); // message type: sync
      readSyncMessage(decoder, encoding.createEncoder(), reader, 'relay');
    }
    if (pending !== 0) throw new Error(`client bound: ${pending} readers did not apply update ${i}`);
    if (i >= WARMUP) samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), mean: round(samples.reduce((s, x) => s + x, 0) / samples.length) };
}

const rounds: Record<string, Figures[]> = {};
const starts = [floor, preframedFloor, reference, persistedReference, groundwork];
for (let r = 0; r < ROUNDS; r++) {
  for (const start of [...starts.slice(r % starts.length), ...starts.slice(0, r % starts.length)]) {
    const target = await start();
    try {
      const figures = await measure(target);
      (rounds[target.name] ??= []).push(figures);
      console.log(`round ${r + 1}, ${target.name}: p50 ${figures.p50} ms, p99 ${figures.p99} ms (${UPDATES} updates, ${READERS} readers)`);
    } finally {
      await target.stop();
    }
  }
}
const results: Record<string, Figures> = {};
for (const [name, figures] of Object.entries(rounds)) {
  results[name] = { p50: round(median(figures.map((f) => f.p50))), p99: round(median(figures.map((f) => f.p99))), mean: round(median(figures.map((f) => f.mean))) };
  console.log(`${name}: median of ${figures.length} rounds: p50 ${results[name].p50} ms, p99 ${results[name].p99} ms`);
}
rmSync(persistedDir, { recursive: true, force: true });
const bound = clientBound();
console.log(`client bound (${READERS} readers applying each change in this process, no network): p50 ${bound.p50} ms, p99 ${bound.p99} ms`);
const ours = results.groundwork!;
report({
  bench: 'relay-fanout',
  readers: READERS,
  updates: UPDATES,
  rounds: ROUNDS,
  groundwork_p50_ms: ours.p50,
  groundwork_p99_ms: ours.p99,
  reference_p50_ms: results['y-websocket-server']!.p50,
  reference_p99_ms: results['y-websocket-server']!.p99,
  floor_p50_ms: results['ws-floor']!.p50,
  floor_p99_ms: results['ws-floor']!.p99,
  leveldb_reference_p50_ms: results['y-websocket-server-leveldb']!.p50,
  leveldb_reference_p99_ms: results['y-websocket-server-leveldb']!.p99,
  preframed_floor_p50_ms: results['ws-floor-preframed']!.p50,
  preframed_floor_p99_ms: results['ws-floor-preframed']!.p99,
  client_bound_p50_ms: bound.p50,
  client_bound_p99_ms: bound.p99,
  p99_vs_reference: round(ours.p99 / results['y-websocket-server']!.p99),
  p99_vs_leveldb_reference: round(ours.p99 / results['y-websocket-server-leveldb']!.p99),
  p99_vs_floor: round(ours.p99 / results['ws-floor']!.p99),
  goal: 'p99 <= 0.8x reference and <= 2x floor',
  machine: machine(),
});
