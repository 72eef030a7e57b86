/**
 * A project key from its name, the way Linear and Jira suggest one: the initials of a
 * multi-word name ("Website Redesign" → "WR"), otherwise the first letters ("Marketing" →
 * "MAR"). Always 2–10 characters starting with a letter (the contract's rule), or "" if none fits.
 */
export function suggestKey(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const firstLetter = words.findIndex((w) => /^[A-Za-z]/.test(w));
  if (firstLetter < 0) return '';
  const usable = words.slice(firstLetter);
  let key = usable.length >= 2 ? usable.slice(0, 4).map((w) => w[0]).join('') : (usable[0] ?? '').slice(0, 3);
  if (key.length < 2) key = (usable[0] ?? '').slice(0, 3);
  key = key.toUpperCase().slice(0, 10);
  return key.length >= 2 ? key : '';
}
