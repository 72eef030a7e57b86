/** A site audit's params and result, as stored in job definitions and execution rows. */
import { z } from 'zod';
import { httpUrl } from '../web-request';

export const maxAuditPages = 1000;
export const maxConcurrency = 8;

export const siteAuditParams = z.strictObject({
  urls: z.array(httpUrl).min(1, { error: 'must list at least one URL' }).max(maxAuditPages, { error: `must list at most ${maxAuditPages} URLs` }),
  crawl: z
    .strictObject({
      maxPages: z
        .number({ error: 'must be a number' })
        .int({ error: 'must be a whole number' })
        .min(1, { error: 'must be at least 1' })
        .max(maxAuditPages, { error: `must be at most ${maxAuditPages}` }),
    })
    .optional(),
  concurrency: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(maxConcurrency, { error: `must be at most ${maxConcurrency}` })
    .optional(),
});
export type SiteAuditParams = z.infer<typeof siteAuditParams>;

export const severities = ['error', 'warning', 'info'] as const;
export const severity = z.enum(severities);
export type Severity = z.infer<typeof severity>;

export const finding = z.object({
  code: z.string(),
  severity,
  message: z.string(),
  /** What the finding is about when a page can have several of one code (a broken link's URL). */
  target: z.string().optional(),
});
export type Finding = z.infer<typeof finding>;

export const auditedPage = z.object({
  url: z.string(),
  /** Where the page ended up after redirects. */
  finalUrl: z.string().nullable(),
  /** The HTTP status of the page's own response; null when it could not be reached. */
  status: z.number().int().nullable(),
  score: z.number().int().min(0).max(100),
  /** From navigation start to the load event; null when the page did not load. */
  loadMs: z.number().nullable(),
  /** Bytes transferred for the page and what it loaded, as the browser counted them. */
  weightBytes: z.number().nullable(),
  title: z.string().nullable(),
  /** The screenshot's file name inside the execution's files folder; null without one. */
  screenshot: z.string().nullable(),
  findings: z.array(finding),
});
export type AuditedPage = z.infer<typeof auditedPage>;

/** A finding with the page it was found on, for the comparison with the previous run. */
export const pageFinding = finding.extend({ url: z.string() });
export type PageFinding = z.infer<typeof pageFinding>;

export const siteAuditResult = z.object({
  pages: z.array(auditedPage),
  summary: z.object({
    pages: z.number().int(),
    averageScore: z.number(),
    findings: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
    /** Against the previous succeeded run; null when there is none. */
    comparison: z
      .object({
        newFindings: z.array(pageFinding),
        /** Findings of the previous run on pages audited again now that are gone. */
        fixedFindings: z.array(pageFinding),
      })
      .nullable(),
  }),
});
export type SiteAuditResult = z.infer<typeof siteAuditResult>;
