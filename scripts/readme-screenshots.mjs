// Retakes the README's screenshots (docs/images/) from the demo workspace: a web host with --demo
// on a throwaway data dir, system Chromium (CHROMIUM_PATH or /usr/bin/chromium).
//
//   node scripts/readme-screenshots.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');
const base = mkdtempSync(join(tmpdir(), 'groundwork-shots-'));
const host = spawn(
  process.execPath,
  ['--import', 'tsx', 'src-main/host/main.ts', '--port', '0', '--data-dir', join(base, 'data'), '--key-file', join(base, 'secret.key'), '--demo'],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolveUrl, reject) => {
  let out = '';
  host.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /Groundwork web: (http:\/\/\S+)/.exec(out);
    if (match) resolveUrl(match[1]);
  });
  host.once('exit', (code) => reject(new Error(`the web host exited (${code}) before printing its URL`)));
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, colorScheme: scheme, deviceScaleFactor: 1 });
    await page.goto(url);
    await page.getByRole('list', { name: 'Projects' }).getByText('Website Redesign').click();
    await page.getByRole('heading', { name: 'Website Redesign', level: 1 }).waitFor();
    const todo = page.getByRole('region', { name: 'In Progress', exact: true });
    await todo.getByRole('listitem').first().waitFor();
    if (scheme === 'light') {
      await page.screenshot({ path: join(root, 'docs/images/board.png') });
    } else {
      await todo.getByRole('listitem').first().click();
      await page.getByRole('complementary').first().waitFor();
      await page.waitForTimeout(500); // the activity list and avatars settle
      await page.screenshot({ path: join(root, 'docs/images/task-dark.png') });
    }
    await page.close();
  }
} finally {
  await browser.close();
  host.kill('SIGTERM');
  await new Promise((done) => host.once('exit', done));
  rmSync(base, { recursive: true, force: true });
}
