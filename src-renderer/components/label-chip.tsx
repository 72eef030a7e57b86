import type { CSSProperties } from 'react';

/**
 * A label's colour, derived from its text alone (FNV-1a hash → hue), so "bug" has the same
 * colour on the board, in the list and in the task panel, on every machine, with nothing to sync.
 */
export function labelColor(label: string): string {
  let hash = 0x811c9dc5;
  for (const ch of label.trim().toLowerCase()) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `hsl(${hash % 360} 65% 50%)`;
}

export function LabelChip({ label }: { label: string }) {
  return (
    <span className="label-chip" style={{ '--label-color': labelColor(label) } as CSSProperties}>
      {label}
    </span>
  );
}
