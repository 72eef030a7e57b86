// `npm start [-- --data-dir DIR --demo]`: the desktop app where Electron can run; elsewhere one
// line saying why, then the web host (DESIGN.md: `npm start` always starts something useful).
import { buildApp, root, runForeground } from './child-process.mjs';
import { canRunDesktop, describeMissing } from './electron-binary.mjs';
import { runWebHost } from './web.mjs';

const args = process.argv.slice(2);
const desktop = canRunDesktop();

if (desktop.ok) {
  await buildApp();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set by some editors' terminals; it would make Electron act as Node
  runForeground(desktop.path, [root, ...args], { env });
} else {
  console.log(`Groundwork: ${describeMissing(desktop.missing)} (${desktop.reason}); starting the web host instead.`);
  await runWebHost(args);
}
