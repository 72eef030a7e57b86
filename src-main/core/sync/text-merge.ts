/**
 * Merging a person's edit of a long text into the text as it is now. The renderer sends what the
 * person started from (`base`) and what they made of it (`value`); meanwhile teammates may have
 * changed the text. Both are diffs of `base`: the person's edits are replayed at the places they
 * were made, shifted past what others inserted and skipping what others already deleted, so every
 * insertion on either side survives — per character, as Yjs merges two replicas.
 */
import diff from 'fast-diff';
import type * as Y from 'yjs';
import type { TextEdit } from '../../contract';

/** Per character of `base`: whether a diff kept it; per gap between characters: what it inserted there. */
interface EditOfBase {
  kept: boolean[];
  inserted: string[];
}

/**
 * Myers' diff costs up to the product of the two texts' changed middles (after their common prefix
 * and suffix), and pasting 100,000 characters over 100,000 others must not stall the core. Above
 * this budget the texts are diffed line by line (each distinct line one symbol, as
 * diff-match-patch's line mode does), and above it again as one replacement.
 */
const maxDiffWork = 4_000_000;
/** Lines are longer than characters: more of them fit the same time (~5,000 × 5,000). */
const maxLineDiffWork = 25_000_000;

function diffOf(a: string, b: string): diff.Diff[] {
  if (changedMiddle(a, b) <= maxDiffWork) return diff(a, b, undefined, true); // semantic cleanup: whole words, not scattered letters
  const symbols = new Map<string, string>();
  const lines: string[] = [];
  const encode = (text: string) =>
    (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((line) => {
      let symbol = symbols.get(line);
      if (symbol === undefined) {
        // Private-use and other non-surrogate code units, one per distinct line.
        symbol = String.fromCharCode(lines.length < 0xd800 ? lines.length : lines.length + 0x800);
        symbols.set(line, symbol);
        lines.push(line);
      }
      return symbol;
    });
  const [la, lb] = [encode(a), encode(b)];
  if (lines.length > 0xf7ff || changedMiddle(la.join(''), lb.join('')) > maxLineDiffWork) return [[diff.DELETE, a], [diff.INSERT, b]];
  const decode = (symbols: string) => [...symbols].map((symbol) => lines[symbol.charCodeAt(0) < 0xd800 ? symbol.charCodeAt(0) : symbol.charCodeAt(0) - 0x800]).join('');
  return diff(la.join(''), lb.join('')).map(([op, text]) => [op, decode(text)] as diff.Diff);
}

/** The product of the lengths of what differs between two texts, once their common ends are set aside. */
function changedMiddle(a: string, b: string): number {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return (endA - start) * (endB - start);
}

function editOf(base: string, next: string): EditOfBase {
  const kept = new Array<boolean>(base.length).fill(true);
  const inserted = new Array<string>(base.length + 1).fill('');
  let at = 0;
  // A replacement (a delete, then an insert) inserts where the deleted text began, so what a
  // teammate typed right after the replaced words stays after the new ones.
  let replacing: number | null = null;
  for (const [op, text] of diffOf(base, next)) {
    if (op === diff.INSERT) inserted[replacing ?? at] += text;
    else if (op === diff.DELETE) {
      replacing ??= at;
      kept.fill(false, at, at + text.length);
      at += text.length;
    } else {
      replacing = null;
      at += text.length;
    }
  }
  return { kept, inserted };
}

/**
 * Applies `edit` to `target` (whose text may have moved on from `edit.base`). A plain string is a
 * whole new value: it is diffed against the current text, as tools that send one expect.
 */
export function mergeTextEdit(target: Y.Text, edit: string | TextEdit): void {
  const current = target.toString();
  const { base, value } = typeof edit === 'string' ? { base: current, value: edit } : edit;
  if (base === value) return;
  const mine = editOf(base, value);
  const theirs = base === current ? null : editOf(base, current);
  // Walk `base` gap, character, gap, …; `at` is the matching position in the text being edited.
  let at = 0;
  let deleting = 0;
  const flushDelete = () => {
    if (deleting > 0) target.delete(at, deleting);
    deleting = 0;
  };
  for (let i = 0; i <= base.length; i++) {
    const inserted = mine.inserted[i]!;
    const theirInsert = theirs?.inserted[i] ?? '';
    if (inserted || theirInsert) flushDelete();
    // Their insertion at this gap comes first, then mine: both stay.
    at += theirInsert.length;
    if (inserted) {
      target.insert(at, inserted);
      at += inserted.length;
    }
    if (i === base.length) break;
    if (theirs && !theirs.kept[i]) continue; // already gone: an overlapping delete deletes nothing twice
    if (mine.kept[i]) {
      flushDelete();
      at++;
    } else deleting++;
  }
  flushDelete();
}
