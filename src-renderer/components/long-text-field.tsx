import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TextEdit } from '../../src-main/contract';

interface LongTextFieldProps {
  label: string;
  /** The text as the store has it (a teammate's edit arrives here live). */
  value: string;
  placeholder?: string;
  rows?: number;
  maxLength?: number;
  /** Gets the person's edit relative to the text it was made on; the core merges it (text-merge.ts). */
  onSave(edit: TextEdit): void;
}

/**
 * A long text (a description, notes) that merges with teammates' typing instead of overwriting
 * it. Saves 800 ms after typing stops and on blur, as an edit of `base` — the text the draft was
 * made from — so what others typed meanwhile survives. A new value from the store replaces the
 * draft unless it holds typing not yet saved; the caret stays where it was in the text.
 */
export function LongTextField({ label, value, placeholder, rows = 6, maxLength, onSave }: LongTextFieldProps) {
  const [draft, setDraft] = useState(value);
  // The text the draft derives from, as the core knows it: the store's value when the draft was
  // last in line with it, or the draft as last saved.
  const [base, setBase] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    // Adjusted while rendering (react.dev, "Adjusting some state when a prop changes"): no flash.
    setSeen(value);
    if (draft === base) {
      setDraft(value);
      setBase(value);
    }
  }
  const textarea = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<{ text: string; start: number; end: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // What the save timer and blur read: the draft and base of the last render.
  const latest = useRef({ draft, base });
  useLayoutEffect(() => {
    latest.current = { draft, base };
  });

  const commit = () => {
    clearTimeout(timer.current);
    const { draft: next, base: from } = latest.current;
    if (next === from) return;
    setBase(next);
    latest.current = { draft: next, base: next };
    onSave({ base: from, value: next });
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  // When the store's text replaces what a focused person sees, keep their caret on the same
  // character: shift it by what was inserted or removed before it.
  useLayoutEffect(() => {
    const el = textarea.current;
    const before = caret.current;
    if (!el || !before || before.text === draft || document.activeElement !== el) return;
    const shift = (at: number) => {
      let prefix = 0;
      while (prefix < at && before.text[prefix] === draft[prefix]) prefix++;
      return prefix === at ? at : Math.max(0, at + draft.length - before.text.length);
    };
    el.setSelectionRange(shift(before.start), shift(before.end));
  }, [draft]);
  const remember = () => {
    const el = textarea.current;
    if (el) caret.current = { text: el.value, start: el.selectionStart, end: el.selectionEnd };
  };

  return (
    <label className="field">
      <span>{label}</span>
      <textarea
        ref={textarea}
        rows={rows}
        value={draft}
        placeholder={placeholder}
        maxLength={maxLength}
        onSelect={remember}
        onKeyUp={remember}
        onChange={(e) => {
          caret.current = null; // the person's own typing moves the caret itself
          setDraft(e.target.value);
          latest.current = { ...latest.current, draft: e.target.value };
          clearTimeout(timer.current);
          timer.current = setTimeout(commit, 800);
        }}
        onBlur={commit}
      />
    </label>
  );
}
