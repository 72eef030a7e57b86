/** How a state reads at a glance: good (merged, success), bad (failed), busy (running, queued), warn (changes asked), or plain. */
export type Tone = 'good' | 'bad' | 'busy' | 'warn' | 'plain';

/** A small labelled pill; `label` says the state in words, so colour is never the only sign. */
export function StateChip({ tone, label, title }: { tone: Tone; label: string; title?: string }) {
  return (
    <span className={`state-chip tone-${tone}`} title={title}>
      {label}
    </span>
  );
}
