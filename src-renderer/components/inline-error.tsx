/**
 * A failed read or action's message where it happened (a repo that could not be read, an action
 * GitHub refused), not a toast that is gone before it is read. The core's ApiError messages are
 * written for people already; anything else is shown as it says itself.
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function InlineError({ children, label }: { children: string; label?: string }) {
  return (
    <p className="form-error inline-error" role="alert">
      {label ? `${label}: ` : ''}
      {children}
    </p>
  );
}
