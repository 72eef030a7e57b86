/**
 * Remembering where the main window was. Plain Node (the caller passes Electron's displays in), so
 * the rules are tested without Electron: a saved position is used only while enough of it lies on
 * a connected display — after unplugging a monitor the window must not open out of reach.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowBounds extends Rect {
  maximized: boolean;
}

const minSize = { width: 480, height: 360 };
/** How much of the title bar must be on a display for the window to be reachable by mouse. */
const minVisible = { width: 100, height: 40 };

export function readWindowBounds(file: string): WindowBounds | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowBounds>;
    const numbers = [v.x, v.y, v.width, v.height];
    if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
    return {
      x: Math.round(v.x!),
      y: Math.round(v.y!),
      width: Math.max(minSize.width, Math.round(v.width!)),
      height: Math.max(minSize.height, Math.round(v.height!)),
      maximized: v.maximized === true,
    };
  } catch {
    return null; // first run, or a file from elsewhere: fall back to the default size
  }
}

/** Atomic (write then rename), so a crash mid-write never leaves a half file. */
export function writeWindowBounds(file: string, bounds: WindowBounds): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(bounds));
  renameSync(tmp, file);
}

/** True when the window's top strip overlaps some display's work area by at least minVisible. */
export function isReachable(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: minVisible.height };
  return workAreas.some((area) => {
    const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return w >= minVisible.width && h >= minVisible.height;
  });
}
