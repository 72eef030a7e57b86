/**
 * Entry of the core's Electron utilityProcess. PGlite and Yjs work block the thread they run on;
 * here they block only this process, never the window-owning main process. Each renderer gets its
 * own MessagePort (sent by main after it has checked the asking frame) and its own `serve`; the
 * core reaches main over one more port, as a MainApi client (keychain, browser, notifications…).
 */
import type { MessagePortMain } from 'electron';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { connect, isApiError, type MainApi, type MainEvents } from '../contract';
import { createCore, type Core } from '../core/core';
import { loadDemoData } from '../core/demo/demo-data';
import { messagePortTransport } from '../rpc/message-port';
import type { CoreToMain, MainToCore } from './core-messages';

const logger = pino({ name: 'groundwork-core' }, pino.destination(2));
const parent = process.parentPort;
const tell = (message: CoreToMain) => parent.postMessage(message);

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, demo: { type: 'boolean', default: false }, 'restore-from': { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : null;
/** Set when main restarted this core for `backups.restore`: restored before the replica opens. */
const restoreFrom = typeof values['restore-from'] === 'string' ? values['restore-from'] : undefined;

/** Main sends the port to itself before anything else (core-supervisor.ts). */
let receiveMainPort: (port: MessagePortMain) => void = () => undefined;
const mainPort = new Promise<MessagePortMain>((resolve) => (receiveMainPort = resolve));

const ready: Promise<Core | null> = (async () => {
  if (!dataDir) throw new Error('core-process needs --data-dir');
  const main = connect<MainApi, MainEvents>(messagePortTransport(await mainPort, (msg) => logger.warn(msg)));
  const core = await createCore({ dataDir, logger, main, restoreFrom, github: { clientId: process.env.GROUNDWORK_GITHUB_CLIENT_ID } });
  if (values.demo === true) {
    const demo = await loadDemoData(core.api);
    logger.info({ workspace: demo.workspace.name }, demo.loaded ? 'added the demo workspace and switched to it' : 'the demo workspace was already here: switched to it');
  }
  return core;
})().then(
  (core) => {
    tell({ type: 'ready' });
    return core;
  },
  (error: unknown) => {
    logger.error({ err: error }, 'the core failed to start');
    const message = error instanceof Error ? error.message : String(error);
    tell({ type: 'fatal', code: isApiError(error) ? error.code : 'INTERNAL', message });
    // Let the message reach main before the process goes.
    setTimeout(() => process.exit(1), 100);
    return null;
  },
);

function attach(core: Core, port: MessagePortMain) {
  const transport = messagePortTransport(port, (msg) => logger.warn(msg));
  const stop = core.serve(transport, { log: logger });
  transport.onClose?.(() => stop());
}

let shuttingDown = false;
async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  const core = await ready;
  try {
    await core?.close();
  } finally {
    process.exit(0);
  }
}

parent.on('message', (event) => {
  const message = event.data as MainToCore;
  if (message?.type === 'main-port' && event.ports[0]) {
    receiveMainPort(event.ports[0]);
  } else if (message?.type === 'connect' && event.ports[0]) {
    const port = event.ports[0];
    // Ports may arrive while the core is still opening; they are served once it is ready.
    void ready.then((core) => (core && !shuttingDown ? attach(core, port) : port.close()));
  } else if (message?.type === 'shutdown') {
    void shutdown();
  }
});
process.once('SIGTERM', () => void shutdown());
