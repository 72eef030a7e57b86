/**
 * A webhook receiver on 127.0.0.1 for tests: records every request (headers, body, when) and
 * answers with what the test scripts (`answer`: a status per request, 204 by default; `hold`: keep
 * requests waiting until released). Verification is the test's, with `standardwebhooks`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoopbackReceiver {
  url: string;
  received: Received[];
  /** The status each request gets (204 by default). */
  answer: (req: Received) => number;
  /** The body each answer carries (a short text by default). */
  answerBody: (status: number) => string;
  /** While true, requests wait (unanswered) until `release()`. */
  hold: boolean;
  release(): void;
  /** Resolves when `count` requests have arrived (bounded). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks'): Promise<LoopbackReceiver> {
  const waiting: ServerResponse[] = [];
  const receiver: LoopbackReceiver = {
    url: '',
    received: [],
    answer: () => 204,
    answerBody: (status) => (status >= 400 ? `no thanks (${status})` : 'ok'),
    hold: false,
    release() {
      for (const res of waiting.splice(0)) res.writeHead(204).end();
    },
    async waitFor(count, timeoutMs = 10_000) {
      for (let waited = 0; receiver.received.length < count; waited += 10) {
        if (waited > timeoutMs) throw new Error(`the receiver got ${receiver.received.length} requests, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return receiver.received;
    },
    close: () =>
      new Promise((resolve) => {
        receiver.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const got: Received = { id: headers['webhook-id'] ?? '', timestamp: headers['webhook-timestamp'] ?? '', signature: headers['webhook-signature'] ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
      receiver.received.push(got);
      if (receiver.hold) {
        waiting.push(res);
        return;
      }
      const status = receiver.answer(got);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 204 ? undefined : receiver.answerBody(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
