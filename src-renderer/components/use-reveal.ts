import { startTransition, useEffect, useState } from 'react';

/**
 * False until `frames` animation frames after the component mounted (at least one, so what
 * mounted with it is painted first), then true, set in a transition. A view that mounts a lot
 * reveals its parts one per frame (the Board a column's cards at a time), so no one commit holds
 * a frame for long: on a machine of two cores a commit of a whole board's cards took 55–80 ms.
 */
export function useReveal(frames = 1): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    let left = Math.max(1, frames);
    let id = 0;
    const tick = () => {
      if (--left > 0) id = requestAnimationFrame(tick);
      else startTransition(() => setShown(true));
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [frames]);
  return shown;
}
