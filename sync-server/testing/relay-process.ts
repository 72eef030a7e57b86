/**
 * The relay CLI as a child process (for kill -9 and CLI tests): `node --import tsx main.ts`, so
 * the pid is the relay itself and a SIGKILL really kills it without a wrapper surviving.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', 'main.ts');

export interface RelayProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stderr: () => string;
}

export function runRelayCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Starts `relay serve` and resolves once it printed its URL line. */
export function spawnRelay(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--log-level', 'warn', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${stderr}`)));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /^Groundwork relay: (ws:\/\/[^\s]+:(\d+))$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, port: Number(match[2]), stderr: () => stderr });
      }
    });
  });
}

export function kill9(relay: RelayProcess): Promise<void> {
  return new Promise((resolve) => {
    if (relay.child.exitCode !== null || relay.child.signalCode !== null) return resolve();
    relay.child.once('exit', () => resolve());
    relay.child.kill('SIGKILL');
  });
}
