/**
 * A site audit's browser yields the CPU to the person using the app: its processes run at a
 * lower OS priority than the core (nice 10; "below normal" on Windows). An audit loads several
 * pages at once, and on a two-core laptop Chromium would otherwise take the core's CPU while
 * someone types (bench/jobs-vs-people.ts).
 *
 * Chromium's own processes come from CDP (`SystemInfo.getProcessInfo`: browser, renderers, GPU,
 * utilities) on every platform. How a priority is set differs:
 * - Windows and macOS: a priority is per process, and the processes a process starts later take
 *   its priority; so the browser's own lowered priority reaches the renderers it starts next.
 * - Linux: a nice value is per THREAD (setpriority on a pid reaches only its main thread), so each
 *   thread of each process is lowered. A privileged Chromium (root, CAP_SYS_NICE) raises the
 *   threads it makes itself (compositor, IO), so `lower()` is repeated while the audit runs; for
 *   an ordinary user it never can (RLIMIT_NICE), and new threads inherit the lowered value.
 *   And the kernel's autogroups (CONFIG_SCHED_AUTOGROUP, on in most desktop distributions): CPU
 *   time is shared fairly between sessions first, and nice values count only within a session.
 *   Playwright starts the browser in a session of its own (detached), so however low its threads
 *   are, its session would get as much CPU as the core's; the session's own nice value
 *   (`/proc/<pid>/autogroup`) is lowered too — only for a session that is not the core's own.
 * Lowering one's own processes needs no privilege; a process or thread that is gone is skipped.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { constants, getPriority, setPriority } from 'node:os';
import type { Browser } from 'playwright';

/** Nice 10 is what `PRIORITY_BELOW_NORMAL` means (Windows maps it to BELOW_NORMAL_PRIORITY_CLASS). */
export const auditPriority = constants.priority.PRIORITY_BELOW_NORMAL;

interface ProcessInfo {
  type: string;
  id: number;
}

/** Lowers `id` (a process, or on Linux a thread) unless it is already as low; false if it is gone or not ours. */
function lowerOne(id: number): boolean {
  try {
    if (getPriority(id) < auditPriority) setPriority(id, auditPriority);
    return true;
  } catch {
    return false;
  }
}

/** The threads of a Linux process (none if it is gone). */
async function threadsOf(pid: number): Promise<number[]> {
  try {
    return (await readdir(`/proc/${pid}/task`)).map(Number).filter(Number.isInteger);
  } catch {
    return [];
  }
}

/** A Linux process's parent: a renderer's is its zygote, which forks the renderers still to come. */
async function parentOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}

/** `/proc/<pid>/autogroup` reads `/autogroup-42 nice 0`: the session's group and its nice value. */
async function autogroupOf(pid: number | 'self'): Promise<{ name: string; nice: number } | null> {
  try {
    const [name, , nice] = (await readFile(`/proc/${pid}/autogroup`, 'utf8')).trim().split(/\s+/);
    return name && Number.isInteger(Number(nice)) ? { name, nice: Number(nice) } : null;
  } catch {
    return null; // no autogroups in this kernel, or the process is gone
  }
}

/** Lowers the autogroup of `pid`'s session unless it is the core's own or already as low; false if it could not. */
async function lowerAutogroup(pid: number, own: { name: string } | null): Promise<boolean> {
  const group = await autogroupOf(pid);
  if (!group || group.name === own?.name) return false;
  if (group.nice >= auditPriority) return true;
  try {
    await writeFile(`/proc/${pid}/autogroup`, String(auditPriority));
    return true;
  } catch {
    return false;
  }
}

export interface BrowserPriority {
  /** Lowers every process (Linux: every thread) of the browser now; resolves with how many it covered. */
  lower(): Promise<number>;
}

export function browserPriority(browser: Browser, platform: NodeJS.Platform = process.platform): BrowserPriority {
  let session: Promise<{ send(method: 'SystemInfo.getProcessInfo'): Promise<{ processInfo: ProcessInfo[] }> }> | null = null;
  let running: Promise<number> | null = null;

  const pass = async (): Promise<number> => {
    session ??= browser.newBrowserCDPSession();
    const { processInfo } = await (await session).send('SystemInfo.getProcessInfo');
    const pids = new Set(processInfo.map((p) => p.id).filter((id) => Number.isInteger(id) && id > 0 && id !== process.pid));
    if (platform !== 'linux') return [...pids].filter(lowerOne).length;
    for (const p of processInfo) {
      if (p.type !== 'renderer') continue;
      const zygote = await parentOf(p.id);
      if (zygote !== null && zygote !== process.pid && !pids.has(zygote)) pids.add(zygote);
    }
    let covered = 0;
    const own = await autogroupOf('self');
    const groups = new Set<string>();
    for (const pid of pids) {
      for (const tid of await threadsOf(pid)) if (lowerOne(tid)) covered++;
      const group = await autogroupOf(pid);
      if (group && !groups.has(group.name)) {
        groups.add(group.name);
        await lowerAutogroup(pid, own);
      }
    }
    return covered;
  };

  return {
    // One pass at a time: calls while one runs share it.
    lower: () => (running ??= pass().finally(() => (running = null))),
  };
}
