// `node scripts/build-icons.mjs`: regenerates every icon file from resources/icon.svg. A developer
// tool (the outputs are committed; tests check them, nothing runs this in CI).
//
// Rasterising uses rsvg-convert (librsvg, a system package) rather than a native npm dependency
// that every install would carry for a tool run once in a while. ICO and ICNS are small container
// formats, written here with PNG-compressed entries (valid in both: Windows Vista+, macOS 10.7+).
//
// Writes: resources/icons/NxN.png (Linux icon set), resources/icon.png (512 px),
// resources/icon.ico (16–256), resources/icon.icns (16–1024), and the web favicons in
// src-renderer/public/ (favicon.svg, favicon-32.png).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './child-process.mjs';

const resources = join(root, 'resources');
const source = join(resources, 'icon.svg');
const publicDir = join(root, 'src-renderer', 'public');

const pngSizes = [16, 32, 48, 64, 128, 256, 512, 1024];
const icoSizes = [16, 32, 48, 64, 128, 256];
/** ICNS element types that hold PNG data, with their pixel size (ic11–ic14 are the @2x variants). */
const icnsTypes = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

function rasterise(size) {
  const run = spawnSync('rsvg-convert', ['--width', String(size), '--height', String(size), '--format', 'png', source], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error?.code === 'ENOENT') {
    console.error(
      'build-icons: rsvg-convert (librsvg) is not installed. Install it, then run this again:\n' +
        '  Debian/Ubuntu: apt-get install -y librsvg2-bin\n' +
        '  macOS:         brew install librsvg\n' +
        '  Fedora:        dnf install librsvg2-tools',
    );
    process.exit(1);
  }
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`rsvg-convert failed for ${size} px: ${run.stderr.toString().trim()}`);
  return run.stdout;
}

/** ICO: a 6-byte header, one 16-byte directory entry per image, then the images (PNG here). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // width; 0 means 256
    entry.writeUInt8(size >= 256 ? 0 : size, 1); // height
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

/** ICNS: 'icns' + total length (big-endian), then elements: 4-char type + length (header included) + data. */
function icns(elements) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  };
  return chunk('icns', Buffer.concat(elements.map(({ type, png }) => chunk(type, png))));
}

const png = new Map(pngSizes.map((size) => [size, rasterise(size)]));

mkdirSync(join(resources, 'icons'), { recursive: true });
for (const [size, data] of png) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), data);
writeFileSync(join(resources, 'icon.png'), png.get(512));
writeFileSync(join(resources, 'icon.ico'), ico(icoSizes.map((size) => ({ size, png: png.get(size) }))));
writeFileSync(join(resources, 'icon.icns'), icns(icnsTypes.map(([type, size]) => ({ type, png: png.get(size) }))));

mkdirSync(publicDir, { recursive: true });
copyFileSync(source, join(publicDir, 'favicon.svg'));
writeFileSync(join(publicDir, 'favicon-32.png'), png.get(32));

console.log(`build-icons: wrote ${pngSizes.length} PNGs, icon.png, icon.ico, icon.icns and the favicons from resources/icon.svg`);
