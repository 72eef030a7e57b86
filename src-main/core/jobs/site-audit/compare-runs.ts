/**
 * New and fixed findings against the previous succeeded run. A finding is the same one when its
 * page, code and target (a broken link's URL) match; messages may differ (counts, load times).
 * Only pages audited in both runs can have fixed findings: a page the crawl did not reach this
 * time is unknown, not fixed.
 */
import { siteAuditResult, type AuditedPage, type PageFinding, type SiteAuditResult } from './schemas';

type Comparison = NonNullable<SiteAuditResult['summary']['comparison']>;

const keyOf = (url: string, f: { code: string; target?: string | undefined }) => `${url}\n${f.code}\n${f.target ?? ''}`;

function flatten(pages: AuditedPage[]): Map<string, PageFinding> {
  const all = new Map<string, PageFinding>();
  for (const page of pages) for (const f of page.findings) all.set(keyOf(page.url, f), { url: page.url, ...f });
  return all;
}

/** Null when there is no previous result, or it is not a site audit's (the job's type changed). */
export function compareWithPrevious(previous: unknown, pages: AuditedPage[]): Comparison | null {
  const parsed = siteAuditResult.safeParse(previous);
  if (!parsed.success) return null;
  const before = flatten(parsed.data.pages);
  const now = flatten(pages);
  const auditedNow = new Set(pages.map((p) => p.url));
  return {
    newFindings: [...now].filter(([key]) => !before.has(key)).map(([, f]) => f),
    fixedFindings: [...before].filter(([key, f]) => auditedNow.has(f.url) && !now.has(key)).map(([, f]) => f),
  };
}
