/**
 * A server a bench runs in a child process, as the real one runs on another machine: its work
 * (serving pages, API answers) then costs the measured core's thread nothing. The child prints
 * one JSON line (its address, what it serves), then serves until killed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function startChildServer<T>(script: URL, args: string[], what: string): Promise<{ value: T; close(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const value = await new Promise<T>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s`)), 30_000);
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${out}`)));
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, end)) as T);
      }
    });
  });
  return {
    value,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.removeAllListeners('exit');
        proc.once('exit', () => resolve());
        proc.kill();
      }),
  };
}
