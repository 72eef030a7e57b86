import { useState, type CSSProperties, type KeyboardEvent } from 'react';

interface ChipInputProps {
  label: string;
  values: string[];
  onChange(values: string[]): void;
  placeholder?: string;
  /** Offered in a datalist (e.g. labels already used in the project). */
  suggestions?: string[];
  /** A colour per value (labels: labelColor), shown as a dot on its chip. */
  colorOf?(value: string): string;
}

/** Tags/labels: type and press Enter or comma to add; each chip has its own remove button. */
export function ChipInput({ label, values, onChange, placeholder, suggestions = [], colorOf }: ChipInputProps) {
  const [draft, setDraft] = useState('');
  const listId = `chips-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const add = () => {
    const value = draft.trim().replace(/,$/, '').trim();
    setDraft('');
    if (value && !values.includes(value)) onChange([...values, value]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && !draft && values.length) {
      onChange(values.slice(0, -1));
    }
  };
  return (
    <div className="chip-input">
      <ul className="chips" aria-label={label}>
        {values.map((value) => (
          <li key={value} className="chip" style={colorOf ? ({ '--label-color': colorOf(value) } as CSSProperties) : undefined}>
            {value}
            <button type="button" className="chip-remove" aria-label={`Remove ${value}`} onClick={() => onChange(values.filter((v) => v !== value))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        aria-label={`Add ${label.toLowerCase().replace(/s$/, '')}`}
        value={draft}
        placeholder={placeholder}
        list={suggestions.length ? listId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={add}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.filter((s) => !values.includes(s)).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </div>
  );
}
