import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isReachable, readWindowBounds, writeWindowBounds } from './window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('isReachable', () => {
  it('accepts a window on any connected display', () => {
    expect(isReachable({ x: 100, y: 100, width: 800, height: 600 }, [laptop])).toBe(true);
    expect(isReachable({ x: 2000, y: 100, width: 800, height: 600 }, [laptop, external])).toBe(true);
  });

  it('refuses a window left on a display that is gone, or with its title bar off screen', () => {
    expect(isReachable({ x: 2000, y: 100, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isReachable({ x: 100, y: -500, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isReachable({ x: 1400, y: 100, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isReachable({ x: 100, y: 100, width: 800, height: 600 }, [])).toBe(false);
  });
});

describe('readWindowBounds / writeWindowBounds', () => {
  it('round-trips, and treats a missing or garbled file as no saved bounds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-bounds-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'window.json');
    expect(readWindowBounds(file)).toBeNull();
    writeWindowBounds(file, { x: 10, y: 20, width: 900, height: 700, maximized: true });
    expect(readWindowBounds(file)).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: true });
    writeFileSync(file, '{"x": "a"}');
    expect(readWindowBounds(file)).toBeNull();
    writeFileSync(file, 'garbage');
    expect(readWindowBounds(file)).toBeNull();
    writeFileSync(file, '{"x":1,"y":2,"width":10,"height":10}');
    expect(readWindowBounds(file)).toEqual({ x: 1, y: 2, width: 480, height: 360, maximized: false });
  });
});
