import { useDeferredValue } from 'react';

/**
 * False in a component's first render, true in a second render React schedules right after it
 * (a deferred value with an initial value renders in a transition of its own). A view that mounts
 * a lot commits its frame first and its content next, so no one commit holds a frame for long.
 */
export function useSecondPass(): boolean {
  return useDeferredValue(true, false);
}
