/**
 * The sender's HTTP against real receivers on 127.0.0.1. DNS is the one thing answered by the test
 * (a name cannot be made to resolve here otherwise): `receiver.test` resolves to the receiver's
 * loopback address, as a rebinding name would to an address inside the network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type LoopbackReceiver } from './testing/loopback-receiver';
import { WebhookTransport } from './webhook-transport';

const options = { timeoutMs: 5_000, excerptBytes: 1024, allowPrivate: false };
const resolveToLoopback = async () => ['127.0.0.1'];

let receiver: LoopbackReceiver | null = null;
let server: Server | null = null;
let transport: WebhookTransport | null = null;
afterEach(async () => {
  transport?.close('test over');
  await receiver?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  receiver = server = transport = null;
});

/** A server answering each request with `handle`; its base URL. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('webhook transport', () => {
  it('refuses at connect a name that resolves to a private address (a rebinding); the preference lets it through', async () => {
    receiver = await startReceiver();
    transport = new WebhookTransport(resolveToLoopback);
    const byName = receiver.url.replace('127.0.0.1', 'receiver.test');
    await expect(transport.post(byName, {}, '{}', options)).rejects.toThrow('receiver.test is a private network address (127.0.0.1)');
    expect(receiver.received).toHaveLength(0);
    // The same name with "Allow webhooks to private networks" on: sent, with the name as Host.
    await expect(transport.post(byName, {}, '{"a":1}', { ...options, allowPrivate: true })).resolves.toEqual({ status: 204, excerpt: '' });
    expect(receiver.received).toMatchObject([{ body: '{"a":1}', headers: { host: expect.stringMatching(/^receiver\.test:\d+$/) } }]);
  });

  it('sends many on kept-alive sockets, the answers in order of the requests', async () => {
    let sockets = 0;
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => res.writeHead(200).end(`got ${body}`));
    });
    server!.on('connection', () => sockets++);
    transport = new WebhookTransport();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => transport!.post(url, { 'content-type': 'application/json' }, String(i), options)));
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => ({ status: 200, excerpt: `got ${i}` })));
    const more = await Promise.all(Array.from({ length: 40 }, (_, i) => transport!.post(url, {}, String(i), options)));
    expect(more.every((a) => a.status === 200)).toBe(true);
    // The second round reused the first round's sockets.
    expect(sockets).toBeLessThanOrEqual(40);
  });

  it('reads 1 KB of an endless answer and lets the rest go', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(500);
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    transport = new WebhookTransport();
    const answer = await transport.post(url, {}, '{}', options);
    expect(answer.status).toBe(500);
    expect(answer.excerpt).toBe('x'.repeat(1024));
  });

  it('gives up on a receiver that does not answer in time, and close ends what is out', async () => {
    const url = await serve(() => {
      // never answers
    });
    transport = new WebhookTransport();
    await expect(transport.post(url, {}, '{}', { ...options, timeoutMs: 200 })).rejects.toThrow('No answer within 0.2 s.');
    const out = transport.post(url, {}, '{}', options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    transport.close('Groundwork is closing.');
    await expect(out).rejects.toThrow('Groundwork is closing.');
  });

  it('a redirect is an answer, not followed', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(307, { location: '/elsewhere' }).end();
    });
    transport = new WebhookTransport();
    await expect(transport.post(url, {}, '{}', options)).resolves.toEqual({ status: 307, excerpt: '' });
    expect(requests).toBe(1);
  });
});
