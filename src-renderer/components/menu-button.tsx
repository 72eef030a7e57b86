import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useDismiss } from './use-dismiss';

export interface MenuItem {
  label: string;
  onSelect(): void;
  /** Destructive: shown in red, inside the menu only (never always on screen). */
  danger?: boolean;
  disabled?: boolean;
  /** Why it is disabled, as a tooltip. */
  title?: string;
}

interface MenuButtonProps {
  /** The button's accessible name ("Project options"). */
  label: string;
  items: MenuItem[];
  /** Open to the left of the button (at the right edge of the screen). */
  alignRight?: boolean;
}

/**
 * A "⋯" button with a menu (WAI-ARIA menu button): opening focuses the first item, ↑/↓, Home and
 * End move between items, Enter or Space picks, Esc closes and gives focus back to the button.
 */
export function MenuButton({ label, items, alignRight = true }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  useDismiss(open, rootRef, setOpen);

  const enabledItems = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
  useEffect(() => {
    if (open) enabledItems()[0]?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const onMenuKeyDown = (event: KeyboardEvent) => {
    const list = enabledItems();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (index: number) => list[(index + list.length) % list.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(list.length - 1);
        break;
      case 'Escape':
        close();
        break;
      case 'Tab':
        setOpen(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="menu-button" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        ⋯
      </button>
      {open && (
        <div ref={menuRef} className={alignRight ? 'popover popover-right' : 'popover'} role="menu" aria-label={label} onKeyDown={onMenuKeyDown}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? 'menu-item menu-item-danger' : 'menu-item'}
              disabled={item.disabled}
              title={item.title}
              onClick={() => {
                close();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
