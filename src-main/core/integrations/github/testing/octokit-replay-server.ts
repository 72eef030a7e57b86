/**
 * A loopback GitHub for tests: @octokit/fixtures-server (express middleware) on 127.0.0.1, port 0,
 * replaying recorded responses in the nock-definition format (fixtures/README.md). Each `load`
 * gives a fresh base URL whose requests must come in the recorded order; anything else is a 404
 * naming what was expected, so a test cannot pass against the wrong request.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded exchange (nock definition), as @octokit/fixtures stores them. */
export interface RecordedExchange {
  scope: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  response: unknown;
  reqheaders: Record<string, unknown>;
  responseIsBinary: boolean;
  headers: Record<string, string>;
}

/** A fixture file beside this one, with octokit.rb's recorder placeholders filled in. */
export function recorded(file: string): RecordedExchange[] {
  const text = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
  return JSON.parse(text.replaceAll('<GITHUB_LOGIN>', 'octo-user')) as RecordedExchange[];
}

export interface ReplayServer {
  /** Loads a scenario; answers the base URL of its first exchange's host (`http://127.0.0.1:P/api.github.com/<id>`). */
  load(scenario: string): Promise<string>;
  close(): Promise<void>;
}

// Neither package ships type declarations, and an ambient `declare module` would be global to
// the whole program (other tests declare their own); so they are imported by name, typed here.
type Express = (() => { use(handler: unknown): void; listen(port: number, host: string, ready: () => void): Server }) & Record<string, unknown>;
type FixturesServer = (options: { fixturesUrl: string; logLevel: string; fixtures: Record<string, RecordedExchange[]>; ttl?: number }) => unknown;

export async function startReplayServer(scenarios: Record<string, RecordedExchange[]>): Promise<ReplayServer> {
  const expressName = 'express';
  const fixturesServerName = '@octokit/fixtures-server';
  const express = ((await import(expressName)) as { default: Express }).default;
  const fixturesServer = ((await import(fixturesServerName)) as { default: FixturesServer }).default;
  const app = express();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.use(fixturesServer({ fixturesUrl: base, logLevel: 'silent', fixtures: scenarios, ttl: 120_000 }));
  return {
    async load(scenario) {
      const response = await fetch(`${base}/fixtures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario }) });
      if (!response.ok) throw new Error(`replay server: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { url: string }).url;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
