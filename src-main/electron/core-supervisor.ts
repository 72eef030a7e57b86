/**
 * Runs the core in an Electron utilityProcess and hands it renderer ports. Reports, once, whether
 * the core started; afterwards an exit that main did not ask for is reported as a crash, so main
 * can offer a restart. Gives the core its own port to main, on which main serves the MainApi
 * (keychain, browser, notifications, dialogs, power events) with the same RPC as everywhere.
 */
import { MessageChannelMain, utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import { messagePortTransport } from '../rpc/message-port';
import { coreProcessArgs, type CoreToMain, type MainToCore } from './core-messages';
import { serveMainApi, type MainDeps } from './main-api';

export type CoreStart = { ok: true } | { ok: false; code: string; message: string };

export interface CoreSupervisorOptions {
  entry: string;
  dataDir: string;
  demo: boolean;
  /** What main does for the core (Electron's safeStorage, shell, Notification, dialog, powerMonitor). */
  main: MainDeps;
  log?: { debug(obj: object, msg?: string): void };
  onCrash(exitCode: number): void;
}

/** How long a core gets to close PGlite cleanly on quit before it is killed. */
const shutdownGraceMs = 5000;

export class CoreSupervisor {
  private child: UtilityProcess | null = null;
  private stopping = false;

  constructor(private readonly options: CoreSupervisorOptions) {}

  /**
   * Spawns the core; resolves when it is ready or has failed to start. `restoreFrom`: a backup the
   * new core restores before it opens the replica (a restart for `backups.restore`; no demo then).
   */
  start(options: { restoreFrom?: string } = {}): Promise<CoreStart> {
    const { entry, dataDir } = this.options;
    const demo = this.options.demo && options.restoreFrom === undefined;
    const child = utilityProcess.fork(entry, coreProcessArgs({ dataDir, demo, restoreFrom: options.restoreFrom }), {
      serviceName: 'Groundwork core',
      stdio: 'inherit',
    });
    this.child = child;
    this.stopping = false;
    // The core's line to main: sent first, so it is there before the core opens its data.
    const { port1, port2 } = new MessageChannelMain();
    const mainTransport = messagePortTransport(port1);
    const stopMainApi = serveMainApi(mainTransport, this.options.main, this.options.log);
    child.postMessage({ type: 'main-port' } satisfies MainToCore, [port2]);
    return new Promise((resolve) => {
      let settled = false;
      child.on('message', (message: CoreToMain) => {
        if (settled) return;
        if (message.type === 'ready') {
          settled = true;
          resolve({ ok: true });
        } else if (message.type === 'fatal') {
          settled = true;
          resolve({ ok: false, code: message.code, message: message.message });
        }
      });
      child.once('exit', (code) => {
        stopMainApi();
        mainTransport.close?.();
        if (this.child === child) this.child = null;
        if (!settled) {
          settled = true;
          resolve({ ok: false, code: 'INTERNAL', message: `The core process exited while starting (code ${code}).` });
        } else if (!this.stopping) {
          this.options.onCrash(code);
        }
      });
    });
  }

  /** Gives the core one end of a renderer's channel; without a running core the port is closed. */
  connect(port: MessagePortMain): void {
    if (!this.child) return port.close();
    this.child.postMessage({ type: 'connect' } satisfies MainToCore, [port]);
  }

  /** Asks the core to close (so the data-dir lock is released), killing it after a grace period. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.stopping = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill(), shutdownGraceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'shutdown' } satisfies MainToCore);
    });
  }
}
