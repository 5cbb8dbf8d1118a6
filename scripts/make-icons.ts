/**
 * `npm run icons`: every platform's app icon from the one drawing, resources/icon.svg.
 * Debian's Chromium (through playwright-core, as the browser tests use) draws the SVG at each
 * size, so small sizes are drawn crisp rather than shrunk; the ICNS (macOS) and ICO (Windows)
 * containers are written here (both hold PNGs). Output, committed so `npm run dist` needs no browser:
 * resources/icon.png (1024), resources/icons/NxN.png (Linux), resources/icon.icns, resources/icon.ico.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const RESOURCES = fileURLToPath(new URL('../resources/', import.meta.url));
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types and their pixel sizes (PNG-bearing types, macOS 10.7+). */
const ICNS_TYPES: readonly (readonly [string, number])[] = [
  ['icp4', 16], ['icp5', 32], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];

/** An ICNS file: 'icns' + total length, then each element as type + length (with its header) + PNG. */
export function icns(elements: readonly (readonly [string, Buffer])[]): Buffer {
  const parts = elements.map(([type, png]) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([header, body]);
}

/** An ICO file of PNG images (Windows Vista and later read PNG entries). */
export function ico(images: readonly (readonly [number, Buffer])[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(([size, png]) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(([, png]) => png)]);
}

async function main(): Promise<void> {
  const svg = readFileSync(`${RESOURCES}icon.svg`, 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const pngs = new Map<number, Buffer>();
  try {
    const page = await browser.newPage();
    for (const size of new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])) {
      await page.setViewportSize({ width: size, height: size });
      const sized = svg.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`);
      await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`);
      pngs.set(size, await page.screenshot({ omitBackground: true, type: 'png' }));
    }
  } finally {
    await browser.close();
  }
  const png = (size: number) => pngs.get(size) ?? Buffer.alloc(0);
  mkdirSync(`${RESOURCES}icons`, { recursive: true });
  for (const size of LINUX_SIZES) writeFileSync(`${RESOURCES}icons/${size}x${size}.png`, png(size));
  writeFileSync(`${RESOURCES}icon.png`, png(1024));
  writeFileSync(`${RESOURCES}icon.icns`, icns(ICNS_TYPES.map(([type, size]) => [type, png(size)])));
  writeFileSync(`${RESOURCES}icon.ico`, ico(ICO_SIZES.map((size) => [size, png(size)])));
  console.log(`Icons written to ${RESOURCES} from icon.svg`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
