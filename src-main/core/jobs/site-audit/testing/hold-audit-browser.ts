/**
 * Starts an audit browser and holds it until killed, printing `{ driver, browser }` (process ids)
 * as one JSON line: browser-process.test.ts kills this process with SIGKILL, as a crash would,
 * and checks that the driver and the browser go too.
 */
import { findBrowser, launchArgs } from '../find-browser';
import { launchAuditBrowser } from '../browser-process';

const audit = await launchAuditBrowser({ executablePath: findBrowser(), args: launchArgs() });
const session = await audit.browser.newBrowserCDPSession();
const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
process.stdout.write(`${JSON.stringify({ driver: audit.driverPid, browser: processInfo.find((p) => p.type === 'browser')?.id })}\n`);
setInterval(() => {}, 60_000); // held until killed
