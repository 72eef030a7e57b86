/**
 * axe-core in a page of the web host, without touching the app's Content-Security-Policy: its
 * source is evaluated through the DevTools protocol (page.evaluate), which CSP does not govern,
 * never added as an inline <script> (which `script-src 'self'` refuses).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let source: string | undefined;

/** axe.min.js from node_modules; a missing axe-core fails the test saying how to add it. */
function axeSource(): string {
  if (source) return source;
  let path: string | undefined;
  try {
    path = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  } catch {
    path = undefined;
  }
  if (!path || !existsSync(path)) {
    throw new Error('axe-core is not installed: add it as a devDependency (`npm install -D axe-core`) to run the accessibility checks.');
  }
  source = readFileSync(path, 'utf8');
  return source;
}

/** The serious and critical violations axe finds in the page as it is now (WCAG 2.x A and AA rules, plus best practices). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const violations = await page.evaluate(`(async () => {
    if (!window.axe) { ${axeSource()}\n }
    // label-content-name-mismatch is experimental in axe (off by default): the issue's audit ran it.
    const result = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  })()`);
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One readable line per violation, for the assertion message. */
export const describeViolations = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help} — e.g. ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('\n');
