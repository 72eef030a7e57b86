/** Suggests a short task-key prefix from a project name: "Website Redesign" → "WR", "Mobile" → "MOB". */
export function suggestProjectKey(name: string, taken: (key: string) => boolean): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  let base = words.length > 1 ? words.map((w) => w[0]).join('').slice(0, 4) : (words[0] ?? '').slice(0, 3);
  base = base.toUpperCase();
  if (!/^[A-Z]/.test(base)) base = `P${base}`;
  if (base.length < 2) base = `${base}X`.slice(0, 2).padEnd(2, 'X');
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 8)}${n}`;
    if (!taken(candidate)) return candidate;
  }
}
