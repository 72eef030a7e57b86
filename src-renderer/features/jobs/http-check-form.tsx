import { FormField } from '../../components/form-field';
import { optionalInt, type TypeForm } from './type-form';

/**
 * http.check params as this form sends them: `{ url, method, expectStatus?, expectText?,
 * alertAfter? }` (the type's own schema, core/jobs/types/http-check.ts, has the last word).
 */
export interface HttpCheckDraft {
  url: string;
  method: 'GET' | 'HEAD';
  expectStatus: string;
  expectText: string;
  alertAfter: string;
}

interface HttpCheckParams {
  url?: unknown;
  method?: unknown;
  expectStatus?: unknown;
  expectText?: unknown;
  alertAfter?: unknown;
}

export const httpCheckForm: TypeForm<HttpCheckDraft> = {
  paramKeys: ['url', 'method', 'expectStatus', 'expectText', 'alertAfter'],
  defaults: () => ({ url: '', method: 'GET', expectStatus: '', expectText: '', alertAfter: '' }),
  fromParams(raw) {
    const p = (raw ?? {}) as HttpCheckParams;
    return {
      url: typeof p.url === 'string' ? p.url : '',
      method: p.method === 'HEAD' ? 'HEAD' : 'GET',
      expectStatus: p.expectStatus != null ? String(p.expectStatus) : '',
      expectText: typeof p.expectText === 'string' ? p.expectText : '',
      alertAfter: p.alertAfter != null ? String(p.alertAfter) : '',
    };
  },
  toParams(draft) {
    const errors: Record<string, string> = {};
    const url = draft.url.trim();
    if (!/^https?:\/\/\S+$/i.test(url)) errors.url = 'URL must be a web address (http:// or https://)';
    const expectStatus = optionalInt(draft.expectStatus);
    if (Number.isNaN(expectStatus) || (expectStatus !== undefined && (expectStatus < 100 || expectStatus > 599))) errors.expectStatus = 'Expected status must be an HTTP status from 100 to 599';
    const alertAfter = optionalInt(draft.alertAfter);
    if (Number.isNaN(alertAfter) || alertAfter === 0) errors.alertAfter = 'Alert after must be a whole number of at least 1';
    if (draft.method === 'HEAD' && draft.expectText.trim()) errors.expectText = 'A HEAD request has no body to look for text in: use GET';
    if (Object.keys(errors).length) return { errors };
    return {
      params: {
        url,
        method: draft.method,
        ...(expectStatus !== undefined ? { expectStatus } : {}),
        ...(draft.expectText.trim() ? { expectText: draft.expectText } : {}),
        ...(alertAfter !== undefined ? { alertAfter } : {}),
      },
    };
  },
  Fields: ({ draft, onChange, errors }) => (
    <>
      <div className="grid-2 grid-wide-first">
        <FormField label="URL" error={errors.url}>
          {(control) => <input {...control} type="url" spellCheck={false} placeholder="https://example.com/health" value={draft.url} onChange={(e) => onChange({ ...draft, url: e.target.value })} />}
        </FormField>
        <FormField label="Method" error={errors.method}>
          {(control) => (
            <select {...control} value={draft.method} onChange={(e) => onChange({ ...draft, method: e.target.value as HttpCheckDraft['method'] })}>
              <option value="GET">GET</option>
              <option value="HEAD">HEAD</option>
            </select>
          )}
        </FormField>
      </div>
      <div className="grid-2">
        <FormField label="Expected status" hint="Empty: any 200–399 answer is up." error={errors.expectStatus}>
          {(control) => <input {...control} inputMode="numeric" value={draft.expectStatus} onChange={(e) => onChange({ ...draft, expectStatus: e.target.value })} />}
        </FormField>
        <FormField label="Alert after" hint="Misses in a row before it alerts. Empty: the first." error={errors.alertAfter}>
          {(control) => <input {...control} inputMode="numeric" value={draft.alertAfter} onChange={(e) => onChange({ ...draft, alertAfter: e.target.value })} />}
        </FormField>
      </div>
      <FormField label="Expected text" hint="Optional: the page must contain it." error={errors.expectText}>
        {(control) => <input {...control} value={draft.expectText} onChange={(e) => onChange({ ...draft, expectText: e.target.value })} />}
      </FormField>
    </>
  ),
};
