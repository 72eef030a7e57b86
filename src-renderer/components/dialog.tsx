import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** Footer buttons; the body scrolls, the footer stays. */
  footer?: ReactNode;
  wide?: boolean;
  /** A body of text only (no fields) that may be long: it takes a Tab stop, so the keyboard can scroll it. */
  textOnly?: boolean;
}

/**
 * Where focus goes when a dialog opens: an element marked `data-autofocus` (a confirmation's
 * button, a pre-filled field), else the first field of the body. showModal() alone would focus the first focusable
 * element — the header's Close button — so typing went nowhere and Enter closed the dialog.
 */
const firstField = '.dialog-body :is(input:not([type="hidden"]), textarea, select):not(:disabled)';

/**
 * A modal built on the native <dialog>: showModal() gives focus trapping, the top layer and Esc
 * for free, and screen readers announce it as a dialog named by its title. It opens with focus in
 * its first field, so Enter submits its form and Esc cancels without touching the mouse.
 */
export function Dialog({ title, onClose, children, footer, wide, textOnly }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  // A layout effect: the dialog has focus before the browser handles the next key, so a fast
  // typist's first letters after the shortcut that opened it land in its field.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // React's autoFocus runs while the dialog is still closed (hidden), so it cannot place focus.
    (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(firstField))?.focus();
    return () => dialog.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Esc: let React decide (unmounting closes it) so state and DOM never disagree.
        event.preventDefault();
        onCloseRef.current();
      }}
      onMouseDown={(event) => {
        if (event.target === ref.current) onCloseRef.current(); // click on the backdrop
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => onCloseRef.current()}>
          ×
        </button>
      </header>
      <div className="dialog-body" tabIndex={textOnly ? 0 : undefined}>
        {children}
      </div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </dialog>
  );
}
