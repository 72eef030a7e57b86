/**
 * A kill -9 during delivery loses no event, and a restart delivers each once more: a child process
 * (testing/webhooks-in-child.ts) saves two task changes with a webhook endpoint; the receiver holds
 * the first request unanswered (the second waits behind it: one endpoint's deliveries go in order)
 * and the child is killed with SIGKILL. A new core on the same data dir sends the interrupted one
 * again with the SAME webhook-id and the waiting one once — receivers dedupe by the id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createCore, type Core } from '../core';
import { nodeMain } from '../main/main-client';
import { keyFileSealer } from '../sync/secrets';
import { tempDir } from '../testing/temp-core';
import { startReceiver, type LoopbackReceiver } from './testing/loopback-receiver';

const dir = tempDir('groundwork-webhooks-restart-');
const keyDir = tempDir('groundwork-webhooks-key-');
let child: ChildProcess | undefined;
let receiver: LoopbackReceiver | undefined;
let reopened: Core | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await reopened?.close();
  await receiver?.close();
  dir.remove();
  keyDir.remove();
});

/** Starts the child and resolves with its one JSON line (bounded). */
function startChild(url: string): Promise<{ workspaceId: string; endpointId: string; secret: string }> {
  child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing/webhooks-in-child.ts'), dir.path, join(keyDir.path, 'secret.key'), url], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the child said nothing in 60 s: ${out}`)), 60_000);
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child!.on('exit', (code) => reject(new Error(`the child exited (${code}): ${out}`)));
  });
}

describe('webhook delivery across a kill -9', () => {
  it('loses no event and delivers each once after the restart, with the same webhook-id', async () => {
    receiver = await startReceiver();
    receiver.hold = true;
    const started = await startChild(receiver.url);
    await receiver.waitFor(1, 30_000);
    // Several requests may be out at once (held unanswered): every one of them is mid-delivery at the kill.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const held = receiver.received.map((r) => r.id);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
    receiver.hold = false;
    receiver.release();
    expect(receiver.received).toHaveLength(held.length);

    const main = nodeMain({ sealer: keyFileSealer(join(keyDir.path, 'secret.key')) });
    reopened = await createCore({ dataDir: dir.path, main: main.client });
    // Each held one again (same id), and each event not sent before the kill once: two events in all.
    const after = await receiver.waitFor(held.length + 2, 30_000).catch(async (error: Error) => {
      const log = await reopened!.api.webhooks.deliveries({ endpointId: started.endpointId });
      throw new Error(`${error.message}; ${JSON.stringify(receiver!.received.map((r) => [r.id, r.body]))}; log ${JSON.stringify(log)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(held.length + 2);
    const sentAgain = after.slice(held.length);
    expect(sentAgain.map((r) => r.id).filter((id) => held.includes(id)).sort()).toEqual([...held].sort());
    expect(new Set(sentAgain.map((r) => r.id)).size).toBe(2);
    expect(sentAgain.map((r) => JSON.parse(r.body).data.task.title).sort()).toEqual(['First', 'Second']);
    const hook = new Webhook(started.secret);
    for (const r of after) expect(hook.verify(r.body, r.headers)).toEqual(JSON.parse(r.body));
    const log = await reopened.api.webhooks.deliveries({ endpointId: started.endpointId });
    expect(log).toHaveLength(2);
    // An attempt counts once its answer is recorded: the ones cut off by the kill were never answered.
    for (const d of log) expect([d.status, d.attempt]).toEqual(['delivered', 1]);
    main.close();
  }, 120_000);
});
