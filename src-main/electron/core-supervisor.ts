/**
 * Runs the core in an Electron utilityProcess and hands it renderer ports. Reports, once, whether
 * the core started; afterwards an exit that main did not ask for is reported as a crash, so main
 * can offer a restart. Answers the core's requests to seal and open relay tokens with safeStorage.
 */
import { utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import { coreProcessArgs, isSecretRequest, type CoreToMain, type MainToCore } from './core-messages';
import { answerSecretRequest, type SafeStorageLike } from './sealer-over-port';

export type CoreStart = { ok: true } | { ok: false; code: string; message: string };

export interface CoreSupervisorOptions {
  entry: string;
  dataDir: string;
  demo: boolean;
  /** Electron's safeStorage (only main may use it); seals the core's relay tokens. */
  safeStorage: SafeStorageLike;
  onCrash(exitCode: number): void;
}

/** How long a core gets to close PGlite cleanly on quit before it is killed. */
const shutdownGraceMs = 5000;

export class CoreSupervisor {
  private child: UtilityProcess | null = null;
  private stopping = false;

  constructor(private readonly options: CoreSupervisorOptions) {}

  /** Spawns the core; resolves when it is ready or has failed to start. */
  start(): Promise<CoreStart> {
    const { entry, dataDir, demo } = this.options;
    const child = utilityProcess.fork(entry, coreProcessArgs({ dataDir, demo }), {
      serviceName: 'Groundwork core',
      stdio: 'inherit',
    });
    this.child = child;
    this.stopping = false;
    return new Promise((resolve) => {
      let settled = false;
      child.on('message', (message: CoreToMain) => {
        if (isSecretRequest(message)) {
          void answerSecretRequest(message, this.options.safeStorage).then((answer) => {
            // The core may have gone while the keychain was thinking; its request died with it.
            if (this.child === child) child.postMessage(answer satisfies MainToCore);
          });
          return;
        }
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
