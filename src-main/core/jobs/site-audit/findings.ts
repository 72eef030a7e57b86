/**
 * What a site audit reports about a page: every finding code with its severity (the table in
 * README.md says the same in words), the rules that turn what the browser saw into findings, and
 * the page score.
 */
import type { Finding, Severity } from './schemas';

export const findingCodes = {
  unreachable: 'error',
  'status-error': 'error',
  'title-missing': 'error',
  'broken-link': 'error',
  'meta-description-missing': 'warning',
  'canonical-missing': 'warning',
  'h1-missing': 'warning',
  noindex: 'warning',
  'img-alt-missing': 'warning',
  slow: 'warning',
  'h1-multiple': 'info',
  'og-missing': 'info',
} as const satisfies Record<string, Severity>;
export type FindingCode = keyof typeof findingCodes;

/** What the browser saw on a page that loaded (any status). */
export interface PageFacts {
  status: number | null;
  loadMs: number;
  title: string;
  metaDescription: string;
  canonical: string;
  h1Count: number;
  /** The robots meta tags' content and the X-Robots-Tag header, lower-cased. */
  robots: string[];
  /** The Open Graph properties present with a value (`og:title`, …). */
  openGraph: string[];
  imagesWithoutAlt: string[];
}

export interface BrokenLink {
  url: string;
  /** The status it answered with, or null when it could not be reached. */
  status: number | null;
  error?: string;
}

/** The Open Graph tags a link preview needs. */
export const requiredOpenGraph = ['og:title', 'og:description', 'og:image'];

export function finding(code: FindingCode, message: string, target?: string): Finding {
  return { code, severity: findingCodes[code], message, ...(target === undefined ? {} : { target }) };
}

const listed = (items: string[], max = 3) => items.slice(0, max).join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');

export function pageFindings(facts: PageFacts, brokenLinks: BrokenLink[], slowMs: number): Finding[] {
  if (facts.status !== null && facts.status >= 400) {
    // An error page's own title and tags say nothing about the page that should be there.
    return [finding('status-error', `The page answered ${facts.status}.`)];
  }
  const found: Finding[] = [];
  if (!facts.title.trim()) found.push(finding('title-missing', 'The page has no <title>.'));
  if (!facts.metaDescription.trim()) found.push(finding('meta-description-missing', 'The page has no <meta name="description">.'));
  if (!facts.canonical.trim()) found.push(finding('canonical-missing', 'The page has no <link rel="canonical">.'));
  if (facts.h1Count === 0) found.push(finding('h1-missing', 'The page has no <h1>.'));
  if (facts.h1Count > 1) found.push(finding('h1-multiple', `The page has ${facts.h1Count} <h1> headings; one says what the page is.`));
  if (facts.robots.some((directive) => /\bnoindex\b|\bnone\b/.test(directive))) {
    found.push(finding('noindex', 'Search engines are told not to index this page (robots noindex).'));
  }
  const missingOg = requiredOpenGraph.filter((property) => !facts.openGraph.includes(property));
  if (missingOg.length > 0) found.push(finding('og-missing', `Open Graph tags missing: ${missingOg.join(', ')}.`));
  if (facts.imagesWithoutAlt.length > 0) {
    const n = facts.imagesWithoutAlt.length;
    found.push(finding('img-alt-missing', `${n} image${n === 1 ? '' : 's'} without alt text: ${listed(facts.imagesWithoutAlt)}.`));
  }
  for (const link of brokenLinks) {
    const answer = link.status === null ? `could not be reached${link.error ? ` (${link.error})` : ''}` : `answers ${link.status}`;
    found.push(finding('broken-link', `The link to ${link.url} ${answer}.`, link.url));
  }
  if (facts.loadMs > slowMs) {
    found.push(finding('slow', `The page took ${(facts.loadMs / 1000).toFixed(1)} s to load (more than ${(slowMs / 1000).toFixed(1)} s).`));
  }
  return found;
}

const penalty: Record<Severity, number> = { error: 30, warning: 10, info: 5 };

/**
 * 100, less a penalty per distinct finding code by severity (error 30, warning 10, info 5), never
 * below 0; a page that did not load (unreachable, status ≥ 400) scores 0. Per code, not per
 * finding: twenty broken links are one problem to fix, not a score of zero.
 */
export function pageScore(findings: Finding[]): number {
  if (findings.some((f) => f.code === 'unreachable' || f.code === 'status-error')) return 0;
  const codes = new Map(findings.map((f) => [f.code, f.severity]));
  let score = 100;
  for (const sev of codes.values()) score -= penalty[sev];
  return Math.max(0, score);
}
