import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Option {
  value: string;
  label: string;
  /** Shown before the label (a priority icon, an avatar). */
  icon?: ReactNode;
}

interface OptionListProps {
  /** Names the listbox ("Status"); the filter box is "Filter status". */
  label: string;
  options: Option[];
  selected: readonly string[];
  /** Several can be chosen (assignees, labels): picking toggles and the list stays. */
  multiple?: boolean;
  onPick(value: string): void;
  /** Offers the typed text as one more option ("Create label “x”") when no option has that name. */
  createOption?(text: string): Option | null;
}

/**
 * A filter box over a listbox (WAI-ARIA combobox with listbox popup, always expanded): type to
 * narrow, ↑/↓ (wrapping), Home/End to move, Enter to pick. The focus stays in the box; the
 * active option is announced through aria-activedescendant.
 */
export function OptionList({ label, options, selected, multiple, onPick, createOption }: OptionListProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const text = query.trim().toLowerCase();
  const shown = options.filter((o) => o.label.toLowerCase().includes(text));
  const extra = text && !options.some((o) => o.label.toLowerCase() === text) ? createOption?.(query.trim()) : null;
  if (extra) shown.push(extra);
  const at = Math.min(active, Math.max(shown.length - 1, 0));

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = shown.length;
    const moves: Record<string, number> = { ArrowDown: (at + 1) % count, ArrowUp: (at - 1 + count) % count, Home: 0, End: count - 1 };
    if (event.key in moves && count > 0) {
      event.preventDefault();
      setActive(moves[event.key]!);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = shown[at];
      if (option) pick(option);
    }
  };
  const pick = (option: Option) => {
    onPick(option.value);
    if (option === extra) setQuery('');
  };

  return (
    <div className="option-list">
      <input
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={shown[at] ? `${id}-${at}` : undefined}
        aria-label={`Filter ${label.toLowerCase()}`}
        placeholder={`${label}…`}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={label} aria-multiselectable={multiple || undefined} className="option-list-options">
        {shown.map((option, index) => {
          const isSelected = selected.includes(option.value);
          return (
            <li
              key={option.value}
              id={`${id}-${index}`}
              role="option"
              aria-selected={isSelected}
              className={index === at ? 'option option-active' : 'option'}
              // Keep focus in the filter box when clicking an option.
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => setActive(index)}
              onClick={() => pick(option)}
            >
              <span className="option-check" aria-hidden="true">
                {isSelected ? '✓' : ''}
              </span>
              {option.icon && <span aria-hidden="true">{option.icon}</span>}
              <span>{option.label}</span>
            </li>
          );
        })}
      </ul>
      {shown.length === 0 && <p className="option-none">No matches</p>}
    </div>
  );
}
