/** Results of types without a view of their own (as JSON), and of http.check. */

export function JsonResult({ result }: { result: unknown }) {
  return (
    <section className="json-result" aria-label="Result">
      <h4>Result</h4>
      <pre className="code-block" tabIndex={0}>
        {JSON.stringify(result, null, 2)}
      </pre>
    </section>
  );
}

interface HttpCheckResultData {
  up?: unknown;
  consecutiveMisses?: unknown;
  status?: unknown;
  latencyMs?: unknown;
  url?: unknown;
  error?: unknown;
}

/** An uptime check: up or down, the status it answered and how fast; anything else as JSON. */
export function HttpCheckResult({ result }: { result: unknown }) {
  const r = (result ?? {}) as HttpCheckResultData;
  if (typeof r !== 'object' || (r.up === undefined && r.status === undefined)) return <JsonResult result={result} />;
  return (
    <section className="http-check-result" aria-label="Result">
      <h4>Result</h4>
      <dl className="job-facts">
        {r.up !== undefined && (
          <div>
            <dt>Check</dt>
            <dd>
              <span className={`job-status job-status-${r.up ? 'succeeded' : 'failed'}`}>{r.up ? 'Up' : 'Down'}</span>
              {typeof r.consecutiveMisses === 'number' && r.consecutiveMisses > 0 && <span className="hint"> · {r.consecutiveMisses} missed in a row</span>}
            </dd>
          </div>
        )}
        {r.status !== undefined && (
          <div>
            <dt>Status</dt>
            <dd>{String(r.status)}</dd>
          </div>
        )}
        {typeof r.latencyMs === 'number' && (
          <div>
            <dt>Latency</dt>
            <dd>{Math.round(r.latencyMs)} ms</dd>
          </div>
        )}
        {typeof r.error === 'string' && (
          <div>
            <dt>Problem</dt>
            <dd>{r.error}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
