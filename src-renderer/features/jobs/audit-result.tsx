import { useEffect, useState } from 'react';
import { api } from '../../api/connection';
import { groupBySeverity, type AuditPage, type AuditResultData } from './audit-findings';

const scoreClass = (score: number) => (score >= 90 ? 'score-good' : score >= 50 ? 'score-fair' : 'score-poor');

/** Per page: score, status, load time; its findings grouped by severity and its screenshot, on opening it. */
export function AuditResult({ executionId, result }: { executionId: string; result: AuditResultData }) {
  const [openUrl, setOpenUrl] = useState<string | null>(result.pages.length === 1 ? result.pages[0]!.url : null);
  if (result.pages.length === 0) return <p className="hint">No pages were audited.</p>;
  return (
    <section className="audit-result" aria-label="Audit results">
      <h4>Pages ({result.pages.length})</h4>
      <ul className="audit-pages">
        {result.pages.map((page) => {
          const open = openUrl === page.url;
          return (
            <li key={page.url} className="audit-page">
              <button type="button" className="audit-page-toggle" aria-expanded={open} onClick={() => setOpenUrl(open ? null : page.url)}>
                <span className={`audit-score ${scoreClass(page.score)}`} aria-label={`Score ${page.score} of 100`}>
                  {page.score}
                </span>
                <span className="audit-url">{page.url}</span>
                <span className="hint">
                  {page.status ?? 'no answer'} · {page.loadMs === null ? '—' : `${page.loadMs} ms`} · {page.findings.length === 1 ? '1 finding' : `${page.findings.length} findings`}
                </span>
              </button>
              {open && <PageFindings executionId={executionId} page={page} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function PageFindings({ executionId, page }: { executionId: string; page: AuditPage }) {
  const groups = groupBySeverity(page.findings);
  return (
    <div className="audit-page-body">
      {groups.length === 0 ? (
        <p className="hint">No findings: this page passes every check.</p>
      ) : (
        groups.map(([severity, findings]) => (
          <section key={severity} className={`finding-group severity-${severity.toLowerCase()}`} aria-label={`${severity} findings of ${page.url}`}>
            <h5>
              {severity.charAt(0).toUpperCase() + severity.slice(1)} ({findings.length})
            </h5>
            <ul>
              {findings.map((f, i) => (
                <li key={`${f.code}-${i}`}>
                  <code className="finding-code">{f.code}</code> {f.message}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {page.screenshot && <Screenshot executionId={executionId} path={page.screenshot} url={page.url} />}
    </div>
  );
}

/** Read from the core on opening (`jobs.file`): screenshots live in the data dir, not in the result. */
function Screenshot({ executionId, path, url }: { executionId: string; path: string; url: string }) {
  const [state, setState] = useState<{ dataUrl: string } | { error: string } | null>(null);
  useEffect(() => {
    let current = true;
    api.jobs.file({ executionId, path }).then(
      (file) => current && setState(file),
      (error: unknown) => current && setState({ error: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [executionId, path]);
  if (!state) return <p className="loading">Loading the screenshot…</p>;
  if ('error' in state) return <p className="hint">The screenshot could not be shown: {state.error}</p>;
  return <img className="audit-screenshot" src={state.dataUrl} alt={`Screenshot of ${url}`} loading="lazy" />;
}
