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

function editOf(base: string, next: string): EditOfBase {
  const kept = new Array<boolean>(base.length).fill(true);
  const inserted = new Array<string>(base.length + 1).fill('');
  let at = 0;
  for (const [op, text] of diff(base, next)) {
    if (op === diff.INSERT) inserted[at] += text;
    else {
      if (op === diff.DELETE) kept.fill(false, at, at + text.length);
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
