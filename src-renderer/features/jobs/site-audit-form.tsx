import { FormField } from '../../components/form-field';
import { optionalInt, type TypeForm } from './type-form';

/** site.audit params: `{ urls: string[], crawl?: { maxPages }, concurrency? }`. */
export interface SiteAuditDraft {
  /** One URL per line, as typed. */
  urls: string;
  maxPages: string;
  concurrency: string;
}

interface SiteAuditParams {
  urls?: unknown;
  crawl?: { maxPages?: unknown } | null;
  concurrency?: unknown;
}

export const siteAuditForm: TypeForm<SiteAuditDraft> = {
  paramKeys: ['urls', 'crawl', 'concurrency'],
  defaults: () => ({ urls: '', maxPages: '', concurrency: '' }),
  fromParams(raw) {
    const params = (raw ?? {}) as SiteAuditParams;
    return {
      urls: Array.isArray(params.urls) ? params.urls.join('\n') : '',
      maxPages: params.crawl?.maxPages != null ? String(params.crawl.maxPages) : '',
      concurrency: params.concurrency != null ? String(params.concurrency) : '',
    };
  },
  toParams(draft) {
    const urls = draft.urls
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter(Boolean);
    const maxPages = optionalInt(draft.maxPages);
    const concurrency = optionalInt(draft.concurrency);
    const errors: Record<string, string> = {};
    if (urls.length === 0) errors.urls = 'Add at least one URL to audit';
    const bad = urls.find((u) => !/^https?:\/\/\S+$/i.test(u));
    if (bad) errors.urls = `“${bad}” is not a web address (http:// or https://)`;
    if (Number.isNaN(maxPages) || maxPages === 0) errors.crawl = 'Pages to crawl must be a whole number of at least 1';
    if (Number.isNaN(concurrency) || concurrency === 0) errors.concurrency = 'Concurrency must be a whole number of at least 1';
    if (Object.keys(errors).length) return { errors };
    return { params: { urls, ...(maxPages ? { crawl: { maxPages } } : {}), ...(concurrency ? { concurrency } : {}) } };
  },
  Fields: ({ draft, onChange, errors }) => (
    <>
      <FormField label="URLs to audit" hint="One per line." error={errors.urls}>
        {(control) => (
          <textarea
            {...control}
            rows={4}
            spellCheck={false}
            placeholder="https://example.com/"
            value={draft.urls}
            onChange={(e) => onChange({ ...draft, urls: e.target.value })}
          />
        )}
      </FormField>
      <div className="grid-2">
        <FormField label="Pages to crawl" hint="Same-site pages found from these URLs, at most this many. Empty: only the URLs." error={errors.crawl}>
          {(control) => <input {...control} inputMode="numeric" value={draft.maxPages} onChange={(e) => onChange({ ...draft, maxPages: e.target.value })} />}
        </FormField>
        <FormField label="Concurrency" hint="Pages loaded at once. Empty: the default." error={errors.concurrency}>
          {(control) => <input {...control} inputMode="numeric" value={draft.concurrency} onChange={(e) => onChange({ ...draft, concurrency: e.target.value })} />}
        </FormField>
      </div>
    </>
  ),
};
