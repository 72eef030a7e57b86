/**
 * Run as a child process by data-dir-lock.test.ts: a contender for a data-dir lock, driven by one
 * JSON command per stdin line, answering one JSON line on stdout per command. Long-lived, so a
 * test can run many trials without paying a process start (and tsx) for each.
 *
 *   {"take": {"dir", "file", "at"}}  wait until the epoch ms `at` (the shared start), then lock
 *   {"release": true}                release the lock this child holds, if any
 */
import { createInterface } from 'node:readline';
import { type DataDirLock, lockDataDir } from './data-dir-lock';

interface Command {
  take?: { dir: string; file: string; at: number };
  release?: true;
}

let held: DataDirLock | null = null;
const answer = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function run(command: Command): Promise<void> {
  if (command.take) {
    const { dir, file, at } = command.take;
    // Sleep until just before the start, then spin, so every contender starts within ~1 ms.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now() - 15)));
    while (Date.now() < at);
    try {
      held = lockDataDir(dir, file);
      answer({ pid: process.pid, held: true });
    } catch (error) {
      answer({ pid: process.pid, held: false, error: (error as Error).name, message: (error as Error).message });
    }
  } else if (command.release) {
    held?.release();
    held = null;
    answer({ pid: process.pid, released: true });
  }
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(() => run(JSON.parse(line) as Command));
});
process.stdin.on('end', () => void queue.then(() => process.exit(0)));
answer({ pid: process.pid, ready: true });
