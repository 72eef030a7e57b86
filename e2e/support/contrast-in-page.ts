/**
 * A small WCAG 2 text-contrast check run in the page, for where axe-core is not installed: every
 * visible text node's colour against the background painted behind it (ancestors' background
 * colours composited, opacity included), held to 4.5:1 (3:1 for large text). It is stricter than
 * axe in one way (it does not skip aria-hidden text) and looser in another (a background image
 * or gradient behind the text is not judged: axe reports those as "incomplete" too).
 */
import type { Page } from '@playwright/test';

export interface LowContrast {
  /** The element holding the text: tag.class, its text. */
  element: string;
  text: string;
  ratio: number;
  required: number;
  color: string;
  background: string;
}

const inPage = `(() => {
  const parse = (value) => {
    const nums = (value.match(/[\\d.]+/g) || []).map(Number);
    if (value.startsWith('color(srgb')) return [nums[0] * 255, nums[1] * 255, nums[2] * 255, nums[3] ?? 1];
    if (value.startsWith('rgb')) return [nums[0], nums[1], nums[2], nums[3] ?? 1];
    return null;
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat(a);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const backgroundOf = (element) => {
    const layers = [];
    for (let el = element; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.backgroundImage !== 'none') return null;
      const bg = parse(style.backgroundColor);
      if (bg && bg[3] > 0) layers.push(bg);
      if (bg && bg[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const hidden = (element) => {
    for (let el = element; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') return true;
      if (style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') return true;
    }
    return element.getClientRects().length === 0;
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || seen.has(element) || !node.textContent.trim()) continue;
    seen.add(element);
    if (hidden(element) || element.closest(':disabled, [aria-disabled="true"]')) continue;
    const style = getComputedStyle(element);
    let fg = parse(style.color);
    const bg = backgroundOf(element);
    if (!fg || !bg) continue;
    let opacity = 1;
    for (let el = element; el; el = el.parentElement) opacity *= Number(getComputedStyle(el).opacity);
    fg = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const required = large ? 3 : 4.5;
    if (ratio < required - 0.005) {
      const name = element.tagName.toLowerCase() + (element.classList.length ? '.' + [...element.classList].join('.') : '');
      found.push({ element: name, text: node.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, required, color: style.color, background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + ')' });
    }
  }
  return found;
})()`;

/** Text in the page now whose contrast is below WCAG AA. */
export async function lowContrastText(page: Page): Promise<LowContrast[]> {
  return (await page.evaluate(inPage)) as LowContrast[];
}

export const describeLowContrast = (found: LowContrast[]) =>
  found.map((f) => `${f.element} “${f.text}”: ${f.ratio}:1 (needs ${f.required}:1), ${f.color} on ${f.background}`).join('\n');
