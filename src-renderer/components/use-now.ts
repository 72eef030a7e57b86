import { useCallback, useSyncExternalStore } from 'react';

/**
 * The current time, re-read every `intervalMs`: for relative times ("synced 2 min ago") that must
 * age while nothing else changes. The timer stops when the component unmounts.
 */
export function useNow(intervalMs = 30_000): number {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const timer = setInterval(onChange, intervalMs);
      return () => clearInterval(timer);
    },
    [intervalMs],
  );
  // Rounded to the interval, so every read between ticks returns the same value (a stable snapshot).
  return useSyncExternalStore(subscribe, () => Math.floor(Date.now() / intervalMs) * intervalMs);
}
