/**
 * Fuzz: well over 10,000 random, truncated and corrupted frames against a live relay. The relay
 * must stay up, close only the offending sockets, and keep serving other rooms.
 */
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { awarenessFrame, syncStep1Frame, syncStep2Frame, updateFrame } from '../../src-main/sync-protocol/frames';
import { cleanup, connectClient, synced, testRelay, waitFor, workspaceWithTokens } from '../testing/relay-fixtures';

afterAll(cleanup);

/** Seeded PRNG (mulberry32): a failure reproduces with the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real frames to truncate and corrupt: updates of several shared types, a state vector, awareness. */
function sampleFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => frames.push(updateFrame(u)));
  doc.getMap('m').set('k', { nested: [1, 'two', null] });
  doc.getText('t').insert(0, 'hello world');
  doc.getText('t').delete(2, 3);
  doc.getArray('a').push([new Uint8Array([1, 2, 3]), 4.5, true]);
  doc.getXmlFragment('x').insert(0, [new Y.XmlElement('p')]);
  frames.push(syncStep1Frame(Y.encodeStateVector(doc)), syncStep2Frame(Y.encodeStateAsUpdate(doc)));
  const awareness = encoding.createEncoder();
  encoding.writeVarUint(awareness, 1);
  encoding.writeVarUint(awareness, 42);
  encoding.writeVarUint(awareness, 3);
  encoding.writeVarString(awareness, JSON.stringify({ user: { name: 'x' } }));
  frames.push(awarenessFrame(encoding.toUint8Array(awareness)));
  return frames;
}

function generator(seed: number) {
  const random = rng(seed);
  const samples = sampleFrames();
  const int = (n: number) => Math.floor(random() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return (): Uint8Array => {
    const sample = samples[int(samples.length)]!;
    switch (int(6)) {
      case 0:
        return bytes(int(64));
      case 1:
        return sample.slice(0, int(sample.length)); // truncated
      case 2: {
        const copy = sample.slice();
        for (let i = 0; i < 1 + int(4); i++) copy[int(copy.length)] = int(256); // corrupted
        return copy;
      }
      case 3:
        return Uint8Array.of(0, int(4), ...bytes(int(48))); // sync message with a random body
      case 4:
        return Uint8Array.of(1, ...bytes(int(48))); // awareness message with a random body
      default:
        return Uint8Array.of(int(4), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, ...bytes(int(8))); // absurd lengths
    }
  };
}

// Thousands of short-lived connections (each frame that is refused costs a reconnect and a token
// check): ~30 s on a quiet 2-core machine, longer beside the rest of the suite.
it('survives 10,000+ random and truncated frames; other rooms are unaffected', { timeout: 240_000 }, async () => {
  const relay = await testRelay({ rateLimit: { messagesPerSecond: 1e6, burst: 1e6 } });
  const { workspace, tokens } = await workspaceWithTokens(relay, ['member', 'member']);
  const [fuzzToken, healthyToken] = tokens.map((t) => t.token) as [string, string];
  const healthy = connectClient(relay.url, `${workspace}/healthy`, healthyToken);
  await synced(healthy);

  const next = generator(20_240_601);
  const FRAMES = 10_000;
  // Frames the relay actually read (a socket being closed reads nothing more), from its metrics.
  const framesRead = async () => Number(/groundwork_relay_messages_total\{direction="in"\} (\d+)/.exec(await relay.metricsText())?.[1] ?? 0);
  let sent = 0;
  let read = 0;
  let closedByRelay = 0;
  // Four sockets at a time; one the relay closes is replaced by a new one.
  const worker = async () => {
    while (read < FRAMES) {
      const ws = new WebSocket(`${relay.url}/${workspace}/fuzzed?token=${fuzzToken}`);
      ws.on('error', () => {});
      const opened = await new Promise<boolean>((r) => {
        ws.once('open', () => r(true));
        ws.once('close', () => r(false));
      });
      if (!opened) throw new Error('the relay refused a fuzz connection');
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      let isClosed = false;
      void closed.then(() => (isClosed = true));
      while (!isClosed && read < FRAMES) {
        ws.send(next());
        sent++;
        await new Promise((r) => setTimeout(r, 0)); // let the relay read it (and close us) before the next
        if (sent % 500 === 0) read = await framesRead();
      }
      if (isClosed) closedByRelay++;
      else ws.close();
      await closed;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);

  expect(await framesRead()).toBeGreaterThanOrEqual(FRAMES);
  expect(closedByRelay).toBeGreaterThan(100); // malformed frames do close their socket
  expect((await fetch(relay.url.replace('ws://', 'http://') + '/healthz')).status).toBe(200);
  healthy.doc.getMap('m').set('after', 'fuzz');
  const other = connectClient(relay.url, `${workspace}/healthy`, healthyToken);
  await waitFor('a healthy room to keep syncing', () => other.doc.getMap('m').get('after') === 'fuzz');
  expect(healthy.provider.wsconnected).toBe(true);
  expect(await relay.metricsText()).toMatch(/groundwork_relay_sockets_closed_total\{reason="malformed"\} \d+/);
});
