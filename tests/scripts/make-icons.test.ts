import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const RESOURCES = fileURLToPath(new URL('../../resources/', import.meta.url));

/** Width and height from a PNG's IHDR. */
function pngSize(png: Buffer): [number, number] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('app icons (npm run icons, from resources/icon.svg)', () => {
  it('macOS: an ICNS whose elements are PNGs of the sizes their types promise', () => {
    const icns = readFileSync(`${RESOURCES}icon.icns`);
    assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    const sizes: Record<string, number> = { icp4: 16, icp5: 32, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 };
    const seen: string[] = [];
    for (let offset = 8; offset < icns.length; ) {
      const type = icns.subarray(offset, offset + 4).toString('latin1');
      const length = icns.readUInt32BE(offset + 4);
      const expected = sizes[type];
      assert.ok(expected, `known element type ${type}`);
      assert.deepEqual(pngSize(icns.subarray(offset + 8, offset + length)), [expected, expected], type);
      seen.push(type);
      offset += length;
    }
    assert.deepEqual(seen.sort(), Object.keys(sizes).sort());
  });

  it('Windows: an ICO with PNG images from 16 to 256 pixels', () => {
    const ico = readFileSync(`${RESOURCES}icon.ico`);
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry) || 256;
      const [w, h] = pngSize(ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8)));
      assert.deepEqual([w, h], [size, size]);
      return size;
    });
    assert.deepEqual(sizes, [16, 24, 32, 48, 64, 128, 256]);
  });

  it('Linux: one PNG per size, named by it', () => {
    const files = readdirSync(`${RESOURCES}icons`).sort();
    for (const file of files) {
      const [w, h] = pngSize(readFileSync(`${RESOURCES}icons/${file}`));
      assert.equal(file, `${w}x${h}.png`);
    }
    assert.ok(files.includes('512x512.png') && files.includes('32x32.png'));
    assert.match(readFileSync(`${RESOURCES}icon.svg`, 'utf8'), /<svg[^>]+viewBox="0 0 1024 1024"/);
  });
});
