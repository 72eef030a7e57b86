/** A site audit's result read for display: its shape, findings by severity, the run's mean score. */

/** A site audit's result as issue 9 defines it (core/jobs/types/site-audit.ts has the schema). */
export interface AuditFinding {
  code: string;
  severity: string;
  message: string;
}
export interface AuditPage {
  url: string;
  status: number | null;
  score: number;
  loadMs: number | null;
  findings: AuditFinding[];
  /** Where the page's screenshot is kept (inside the execution's files folder), if it was taken. */
  screenshot?: string | null;
}
export interface AuditResultData {
  pages: AuditPage[];
  summary?: unknown;
}

export function isAuditResult(value: unknown): value is AuditResultData {
  return typeof value === 'object' && value !== null && Array.isArray((value as { pages?: unknown }).pages);
}

/** Most pressing first; a severity this build does not know goes last, under its own name. */
const severityOrder = ['critical', 'error', 'high', 'warning', 'medium', 'notice', 'low', 'info'];
const rank = (severity: string) => {
  const at = severityOrder.indexOf(severity.toLowerCase());
  return at < 0 ? severityOrder.length : at;
};

export function groupBySeverity(findings: readonly AuditFinding[]): [string, AuditFinding[]][] {
  const groups = new Map<string, AuditFinding[]>();
  for (const f of findings) groups.set(f.severity, [...(groups.get(f.severity) ?? []), f]);
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The run's mean page score (0–100), for the trend; null without pages. */
export function averageScore(result: AuditResultData): number | null {
  if (result.pages.length === 0) return null;
  return Math.round(result.pages.reduce((sum, p) => sum + p.score, 0) / result.pages.length);
}
