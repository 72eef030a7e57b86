import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Whether a horizontally scrolling element holds items to the right of what it shows: the board
 * names the stages past the edge ("More stages →") instead of leaving them to be discovered.
 */
export function useScrollHint(itemSelector: string) {
  const ref = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  const update = useCallback(() => {
    const el = ref.current;
    // The last item (a column; not the Add stage button after it) past the right edge. A pixel
    // of slack: zoomed layouts round widths.
    const last = el?.querySelectorAll<HTMLElement>(`:scope > ${itemSelector}`);
    const item = last?.[last.length - 1];
    if (el) setMore(item !== undefined && item.offsetLeft + item.offsetWidth > el.scrollLeft + el.clientWidth + 1);
  }, [itemSelector]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    update();
    // Columns added or removed, the window resized: the overflow changes without a scroll.
    const observer = new ResizeObserver(update);
    observer.observe(el);
    const children = new MutationObserver(update);
    children.observe(el, { childList: true });
    return () => {
      observer.disconnect();
      children.disconnect();
    };
  }, [update]);
  const scrollOn = () => ref.current?.scrollBy({ left: ref.current.clientWidth * 0.8, behavior: 'smooth' });
  return { ref, more, update, scrollOn };
}
