/** Serves the audit bench site (`startAuditSiteProcess`): prints its URLs as one JSON line, then serves until killed. */
import { startAuditSite } from './audit-site';

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) throw new Error(`audit-site-child: a page count, got ${JSON.stringify(process.argv[2] ?? '')}`);
const { urls } = await startAuditSite(count);
process.stdout.write(`${JSON.stringify(urls)}\n`);
