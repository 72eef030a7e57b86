/**
 * The one rule for suggesting a project key, used by the core (a project created without a key)
 * and by the New project dialog (the key it proposes while the name is typed), so both propose
 * the same free key. Like Linear and Jira: the initials of a multi-word name ("Website Redesign"
 * → "WR"), otherwise the first letters ("Marketing" → "MAR"); a key another project of the
 * workspace uses gets a number ("WR2"). Always 2–10 letters or digits starting with a letter
 * (the contract's `projectKey` rule).
 */
export function suggestProjectKey(name: string, taken: (key: string) => boolean = () => false): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const firstLetter = words.findIndex((w) => /^[A-Za-z]/.test(w));
  // No word starts with a letter ("2025", "…"): a key must, so it starts with P (project).
  const usable = firstLetter < 0 ? [`P${words.join('')}`] : words.slice(firstLetter);
  let base = usable.length >= 2 ? usable.slice(0, 4).map((w) => w[0]).join('') : usable[0]!.slice(0, 3);
  base = base.toUpperCase().padEnd(2, 'X');
  if (!taken(base)) return base;
  // Each candidate is new, and the taken keys are finitely many: this ends.
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 8)}${n}`;
    if (!taken(candidate)) return candidate;
  }
}
