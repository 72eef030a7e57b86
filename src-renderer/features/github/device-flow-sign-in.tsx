import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { GithubAccount, GithubDeviceFlowStart } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { errorText, InlineError } from '../../components/inline-error';
import { fieldErrors } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { useNow } from '../../components/use-now';

/** The preference holding the OAuth app's client id (the core reads it when none is given). */
const clientIdPreference = 'github-client-id';

/** Where a started sign-in is: waiting for the person (GitHub's own words), or over with a reason. */
type Flow =
  | { state: 'waiting'; start: GithubDeviceFlowStart; startedAt: number; interval: number; message: string | null }
  | { state: 'ended'; message: string };

/**
 * "Sign in with GitHub" by OAuth's device flow: the core asks GitHub for a code and opens the
 * verification page; the person enters the code there while this polls every `interval` seconds
 * (longer after GitHub's `slow_down`). Polling stops on Cancel, when the code expires, and when
 * this unmounts (Settings closed): a sign-in never polls behind the person's back.
 */
export function DeviceFlowSignIn({ baseUrl, onConnected }: { baseUrl: string; onConnected(account: GithubAccount): void }) {
  const [clientId, setClientId] = useState('');
  const [storedClientId, setStoredClientId] = useState<string | null>(null);
  const [flow, setFlow] = useState<Flow | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    let current = true;
    api.preferences.get({ key: clientIdPreference }).then(
      (value) => {
        if (!current || typeof value !== 'string') return;
        setStoredClientId(value);
        setClientId(value);
      },
      () => undefined, // the field stays empty: the app's own client id is used
    );
    return () => {
      current = false;
    };
  }, []);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const id = clientId.trim();
      const started = await api.github.startDeviceFlow({ ...(id ? { clientId: id } : {}), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) });
      // Kept once GitHub took it, so a mistyped id is not remembered.
      if (id !== (storedClientId ?? '')) {
        await api.preferences.set({ key: clientIdPreference, value: id || null });
        setStoredClientId(id || null);
      }
      setFlow({ state: 'waiting', start: started, startedAt: Date.now(), interval: started.interval, message: null });
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors(Object.keys(byField).length > 0 ? byField : { _form: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  if (flow?.state === 'waiting') {
    return (
      <DeviceCode
        flow={flow}
        onPolled={(next) => setFlow(next)}
        onConnected={onConnected}
        onCancel={() => setFlow(null)}
      />
    );
  }
  return (
    <form onSubmit={start} className="stack" aria-label="Sign in with GitHub">
      {flow?.state === 'ended' && <InlineError>{flow.message}</InlineError>}
      <FormField label="OAuth app client id (optional)" error={errors.clientId} hint="Leave empty to use Groundwork's own. Kept on this machine.">
        {(control) => <input {...control} spellCheck={false} autoComplete="off" placeholder="Iv1.0123456789abcdef" value={clientId} onChange={(e) => setClientId(e.target.value)} />}
      </FormField>
      {errors.baseUrl && <InlineError label="GitHub Enterprise API address">{errors.baseUrl}</InlineError>}
      {errors._form && <InlineError>{errors._form}</InlineError>}
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Asking GitHub…' : flow?.state === 'ended' ? 'Start again' : 'Sign in with GitHub'}
        </button>
      </div>
    </form>
  );
}

/** The code to enter, where, how long it lasts — and the polling, which lives exactly as long as this is on screen. */
function DeviceCode({
  flow,
  onPolled,
  onConnected,
  onCancel,
}: {
  flow: Extract<Flow, { state: 'waiting' }>;
  onPolled(next: Flow): void;
  onConnected(account: GithubAccount): void;
  onCancel(): void;
}) {
  const now = useNow(1000);
  const [copied, setCopied] = useState(false);
  const [pollError, setPollError] = useState<string | null>(null);
  const secondsLeft = Math.max(0, Math.round((flow.startedAt + flow.start.expiresIn * 1000 - now) / 1000));
  const expired = secondsLeft === 0;
  // The parent's callbacks change with its renders; the poll timer must not restart with them.
  const handlers = useRef({ onPolled, onConnected });
  useEffect(() => {
    handlers.current = { onPolled, onConnected };
  });

  // One poll per `interval` seconds; a new interval (slow_down) or a new answer schedules the next.
  useEffect(() => {
    if (expired) return;
    let alive = true;
    const timer = setTimeout(() => {
      api.github.pollDeviceFlow().then(
        (answer) => {
          if (!alive) return;
          setPollError(null);
          const { onPolled: polled, onConnected: connected } = handlers.current;
          if (answer.state === 'connected') connected(answer.account);
          else if ('interval' in answer) polled({ ...flow, interval: answer.interval, message: answer.state === 'slow_down' ? answer.message : flow.message });
          else polled({ state: 'ended', message: answer.message });
        },
        (error: unknown) => {
          if (!alive) return;
          // A lost connection or GitHub unreachable: say so and try again after the interval.
          setPollError(errorText(error));
          handlers.current.onPolled({ ...flow });
        },
      );
    }, flow.interval * 1000);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [flow, expired]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(flow.start.userCode);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  const minutes = Math.floor(secondsLeft / 60);
  const seconds = String(secondsLeft % 60).padStart(2, '0');

  return (
    <section className="stack device-flow" aria-label="GitHub sign-in">
      <p>Enter this code on GitHub to let Groundwork read your repos:</p>
      <div className="device-code-row">
        <code className="device-code" aria-label="Your code">
          {flow.start.userCode}
        </code>
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy code'}
        </button>
      </div>
      <p>
        <a href={flow.start.verificationUri} target="_blank" rel="noreferrer">
          Open {flow.start.verificationUri.replace(/^https?:\/\//, '')}
        </a>{' '}
        <span className="hint">(Groundwork opened it in your browser too)</span>
      </p>
      <p className="hint" role="timer" aria-live="off">
        {expired ? 'The code expired.' : `The code expires in ${minutes}:${seconds}.`}
      </p>
      <p role="status" className="device-flow-status">
        {expired
          ? 'This code can no longer be used: start again for a new one.'
          : flow.message
            ? `Waiting for you on GitHub. ${flow.message}`
            : 'Waiting for you to enter the code and approve on GitHub…'}{' '}
        {!expired && <span className="hint">Checking every {flow.interval} s.</span>}
      </p>
      {pollError && <InlineError label="Could not ask GitHub">{pollError}</InlineError>}
      <div className="row-end">
        <button type="button" className="button" onClick={onCancel}>
          {expired ? 'Start again' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}
