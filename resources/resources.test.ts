/**
 * The packaging resources, checked by reading the files themselves: each PNG's chunks (CRCs,
 * IHDR size), the ICO directory, the ICNS element list, the favicons the renderer links, and
 * electron-builder.json (the groundwork:// scheme, icon paths that exist). The icon files are
 * written by scripts/build-icons.mjs, which needs rsvg-convert and is not run here.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inviteFromUrl } from '../src-main/electron/invite-link';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path));

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
}

/** Walks a PNG's chunks (length, type, data, CRC) to IEND and returns its IHDR; throws on anything malformed. */
function readPng(data: Buffer, name: string): PngInfo {
  if (!data.subarray(0, 8).equals(pngSignature)) throw new Error(`${name}: no PNG signature`);
  let offset = 8;
  let info: PngInfo | null = null;
  for (;;) {
    if (offset + 12 > data.length) throw new Error(`${name}: truncated before IEND`);
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const end = offset + 8 + length;
    if (end + 4 > data.length) throw new Error(`${name}: chunk ${type} runs past the end`);
    if (crc32(data.subarray(offset + 4, end)) !== data.readUInt32BE(end)) throw new Error(`${name}: bad CRC in ${type}`);
    if (offset === 8) {
      if (type !== 'IHDR' || length !== 13) throw new Error(`${name}: the first chunk is not IHDR`);
      const ihdr = data.subarray(offset + 8, end);
      info = { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), bitDepth: ihdr[8]!, colourType: ihdr[9]! };
    }
    offset = end + 4;
    if (type === 'IEND') break;
  }
  if (offset !== data.length) throw new Error(`${name}: bytes after IEND`);
  return info!;
}

/** Square, 8 bits per sample, RGBA (colour type 6): icons need their transparent corners. */
function expectIconPng(data: Buffer, name: string, size: number) {
  expect(readPng(data, name), name).toEqual({ width: size, height: size, bitDepth: 8, colourType: 6 });
}

describe('icon PNGs', () => {
  it.each([16, 32, 48, 64, 128, 256, 512, 1024])('resources/icons/%ix%i.png is a valid PNG of that size', (size) => {
    const name = `resources/icons/${size}x${size}.png`;
    expectIconPng(read(name), name, size);
  });

  it('resources/icon.png (electron-builder, Linux) is 512 px', () => {
    expectIconPng(read('resources/icon.png'), 'resources/icon.png', 512);
  });

  it('refuses a corrupted PNG (the checker is not a rubber stamp)', () => {
    const png = read('resources/icons/16x16.png');
    // Cut inside the last IDAT (IEND is the final 12 bytes).
    expect(() => readPng(png.subarray(0, png.length - 20), 'short')).toThrow(/IDAT runs past the end/);
    const corrupt = Buffer.from(png);
    corrupt[20] = corrupt[20]! ^ 0xff; // inside IHDR's data
    expect(() => readPng(corrupt, 'corrupt')).toThrow(/bad CRC in IHDR/);
  });
});

describe('resources/icon.ico', () => {
  const ico = read('resources/icon.ico');

  it('lists 16–256 px entries, each a PNG of the size its directory entry states', () => {
    expect(ico.readUInt16LE(0)).toBe(0); // reserved
    expect(ico.readUInt16LE(2)).toBe(1); // 1 = icon (2 would be a cursor)
    const count = ico.readUInt16LE(4);
    let expectedOffset = 6 + 16 * count;
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = ico.subarray(6 + 16 * i, 6 + 16 * (i + 1));
      const width = entry[0] || 256;
      const height = entry[1] || 256;
      expect(height).toBe(width);
      expect(entry.readUInt16LE(4)).toBe(1); // planes
      expect(entry.readUInt16LE(6)).toBe(32); // bits per pixel
      const length = entry.readUInt32LE(8);
      const offset = entry.readUInt32LE(12);
      expect(offset).toBe(expectedOffset); // images packed back to back, no overlaps or gaps
      expectIconPng(ico.subarray(offset, offset + length), `icon.ico entry ${i}`, width);
      expectedOffset = offset + length;
      sizes.push(width);
    }
    expect(expectedOffset).toBe(ico.length);
    expect(sizes).toEqual([16, 32, 48, 64, 128, 256]);
  });
});

describe('resources/icon.icns', () => {
  const icns = read('resources/icon.icns');
  /** Apple's PNG-capable element types and their pixel sizes (ic11–ic14 are the @2x variants). */
  const pixelsByType: Record<string, number> = {
    icp4: 16,
    icp5: 32,
    icp6: 64,
    ic07: 128,
    ic08: 256,
    ic09: 512,
    ic10: 1024,
    ic11: 32,
    ic12: 64,
    ic13: 256,
    ic14: 512,
  };

  it('has the icns header and a total length equal to the file size', () => {
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });

  it('holds every macOS size as a PNG of the size its type code means, elements filling the file exactly', () => {
    const types: string[] = [];
    let offset = 8;
    while (offset < icns.length) {
      const type = icns.toString('latin1', offset, offset + 4);
      const length = icns.readUInt32BE(offset + 4);
      expect(length, type).toBeGreaterThan(8);
      expect(offset + length, type).toBeLessThanOrEqual(icns.length);
      const size = pixelsByType[type];
      expect(size, `unexpected element type ${type}`).toBeDefined();
      expectIconPng(icns.subarray(offset + 8, offset + length), `icon.icns ${type}`, size!);
      types.push(type);
      offset += length;
    }
    expect(offset).toBe(icns.length);
    expect(types.sort()).toEqual(Object.keys(pixelsByType).sort());
  });
});

describe('resources/icon.svg and the web favicons', () => {
  const svg = read('resources/icon.svg').toString('utf8');

  it('is a square, self-contained SVG', () => {
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
    expect(svg.trimEnd()).toMatch(/<\/svg>$/);
    // Nothing that loads or runs: the favicon is served under the app's CSP, and rasterisers differ.
    expect(svg).not.toMatch(/<script|<image|<foreignObject|href=|url\((?!#)|@import/i);
  });

  it('are the current copies: public/favicon.svg is icon.svg, public/favicon-32.png is the 32 px icon', () => {
    expect(read('src-renderer/public/favicon.svg').equals(read('resources/icon.svg'))).toBe(true);
    expect(read('src-renderer/public/favicon-32.png').equals(read('resources/icons/32x32.png'))).toBe(true);
  });

  it('are linked from the renderer page at the root, where vite copies the public folder', () => {
    const html = read('src-renderer/index.html').toString('utf8');
    expect(html).toMatch(/<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml"/);
    expect(html).toMatch(/<link rel="icon" href="\/favicon-32\.png" type="image\/png" sizes="32x32"/);
  });
});

describe('electron-builder.json', () => {
  const config = JSON.parse(read('electron-builder.json').toString('utf8'));
  const pkg = JSON.parse(read('package.json').toString('utf8'));
  const schemes: string[] = config.protocols.flatMap((p: { schemes: string[] }) => p.schemes);

  it('names the app and takes its build resources from resources/', () => {
    expect(config.productName).toBe('Groundwork');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.directories.buildResources).toBe('resources');
  });

  it('declares the groundwork:// scheme, and the app accepts invite links on it', () => {
    expect(schemes).toEqual(['groundwork']);
    for (const scheme of schemes) {
      expect(inviteFromUrl(`${scheme}://join?relay=ws%3A%2F%2F127.0.0.1%3A5711&token=abc`)).not.toBeNull();
    }
  });

  it('registers the scheme in the Windows installer too (electron-builder does not for NSIS)', () => {
    expect(config.nsis.include).toBe('resources/installer.nsh');
    const nsh = read(config.nsis.include).toString('utf8');
    for (const scheme of schemes) {
      expect(nsh).toContain(`WriteRegStr SHELL_CONTEXT "Software\\Classes\\${scheme}" "URL Protocol" ""`);
      expect(nsh).toContain(`DeleteRegKey SHELL_CONTEXT "Software\\Classes\\${scheme}"`);
    }
    expect(nsh).toMatch(/!macro customInstall\b[\s\S]*!macroend[\s\S]*!macro customUnInstall\b[\s\S]*!macroend/);
  });

  it('points each platform at an icon file that exists', () => {
    expect(config.mac.icon).toBe('resources/icon.icns');
    expect(config.win.icon).toBe('resources/icon.ico');
    for (const path of [config.mac.icon, config.win.icon]) expect(statSync(join(root, path)).isFile(), path).toBe(true);
    // Linux: a folder of NxN.png files, the size in each name.
    const linuxIcons = readdirSync(join(root, config.linux.icon));
    expect(linuxIcons).toContain('512x512.png');
    for (const file of linuxIcons.filter((f) => f.endsWith('.png'))) expect(file).toMatch(/^(\d+)x\1\.png$/);
  });

  it('ships the build output with PGlite unpacked from the asar (it loads its wasm/data files by path)', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(config.asarUnpack).toContain('node_modules/@electric-sql/pglite/**');
    // electron-builder copies production dependencies only, and the main bundle keeps PGlite external.
    expect(pkg.dependencies['@electric-sql/pglite']).toBeDefined();
    expect(pkg.main).toMatch(/^out\//);
  });

  it('builds the targets the issue asks for', () => {
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('is run by `npm run package` after a build', () => {
    expect(pkg.scripts.package).toBe('npm run build && electron-builder');
    expect(pkg.scripts['package:dir']).toBe('npm run build && electron-builder --dir');
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
  });
});
