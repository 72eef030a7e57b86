/**
 * "Your repos" in Settings → GitHub: the connected person's and their organisations' repos, a
 * GitHub page at a time (`github.repos`), filtered by owner and a search, each linkable to the
 * open project in one click. GitHub's listing has no search of its own, so a filter applies to the
 * pages read so far, and "More repos" reads the next page.
 */
import { useCallback, useEffect, useState } from 'react';
import type { GithubRepo } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { InlineError } from '../../components/inline-error';

interface Listing {
  repos: GithubRepo[];
  nextPage: number | null;
}

export function RepoPicker({ linked, onLink }: { linked: readonly string[]; onLink(repo: string): Promise<void> }) {
  const [search, setSearch] = useState('');
  const [owner, setOwner] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState<string | null>(null);

  // The same filter the core applies, so typing narrows what is shown without asking GitHub again.
  const query = { search: search.trim() || undefined, owner: owner.trim() || undefined };
  const read = useCallback(
    (page: number, append: boolean) =>
      api.github.repos({ page }).then(
        (found) => {
          setListing((before) => ({ repos: append && before ? [...before.repos, ...found.repos] : found.repos, nextPage: found.nextPage }));
          setFailed(null);
          setLoading(false);
        },
        (error: unknown) => {
          setFailed(error instanceof Error ? error.message : String(error));
          setLoading(false);
        },
      ),
    [],
  );
  useEffect(() => {
    void read(1, false);
  }, [read]);
  const more = (page: number) => {
    setLoading(true);
    void read(page, true);
  };

  const isLinked = (name: string) => linked.some((l) => l.toLowerCase() === name.toLowerCase());
  const shown = (listing?.repos ?? []).filter(
    (r) =>
      (!query.owner || r.owner.toLowerCase() === query.owner.toLowerCase()) &&
      (!query.search || `${r.fullName} ${r.description ?? ''}`.toLowerCase().includes(query.search.toLowerCase())),
  );
  const owners = [...new Set((listing?.repos ?? []).map((r) => r.owner))].sort((a, b) => a.localeCompare(b));

  return (
    <section className="stack" aria-label="Your repos">
      <h4>Your repos</h4>
      <div className="row-end">
        <label className="field">
          <span>Search your repos</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name or description" spellCheck={false} />
        </label>
        <label className="field">
          <span>Owner</span>
          <select value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">Everyone</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      </div>
      {failed ? <InlineError>{failed}</InlineError> : null}
      {listing === null ? (
        loading ? <p className="hint">Reading your repos from GitHub…</p> : null
      ) : shown.length === 0 ? (
        <p className="hint">{listing.nextPage ? 'None of the repos read so far match. Read more below.' : 'No repo matches.'}</p>
      ) : (
        <ul className="github-links" aria-label="Your repos">
          {shown.map((r) => (
            <li key={r.fullName}>
              <span>
                {r.fullName}
                {r.private ? ' · private' : ''}
                {r.description ? <span className="hint"> — {r.description}</span> : null}
              </span>
              {isLinked(r.fullName) ? (
                <span className="hint">Linked</span>
              ) : (
                <button type="button" className="button" aria-label={`Link ${r.fullName}`} onClick={() => void onLink(r.fullName)}>
                  Link
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {listing?.nextPage ? (
        <div className="row-end">
          <button type="button" className="button" disabled={loading} onClick={() => more(listing.nextPage!)}>
            {loading ? 'Reading…' : 'More repos'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
