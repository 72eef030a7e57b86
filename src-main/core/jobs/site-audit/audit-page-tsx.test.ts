import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The web host runs the core through tsx, whose keepNames output wraps functions in `__name(…)`;
// the code audit-page.ts sends into the page once threw "__name is not defined" there, making
// every page `unreachable`. Vitest compiles differently, so this runs a real audit under tsx.
it('audits a clean page when the core runs under tsx (keepNames)', async () => {
  const script = fileURLToPath(new URL('./testing/audit-one-page.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 60_000 });
  const audited = JSON.parse(stdout.trim().split('\n').at(-1)!) as { status: number | null; title: string | null; findings: { code: string }[] };
  expect(audited.findings).toEqual([]);
  expect(audited.status).toBe(200);
  expect(audited.title).toBe('Page /');
}, 90_000);
