// The committed app icons: the sizes the manifest promises, maskable ones filling the whole
// square (launchers crop them), and the committed files matching what the drawing script makes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICONS, drawIcon, encodePng } from '../../../client/pwa/icons/draw-icons';

const ICON_DIR = path.resolve(import.meta.dirname, '../../../client/public/icons');

interface DecodedPng {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Just enough PNG to read our own files: RGBA, 8 bits, filter "none" on every row. */
function decodePng(file: Buffer): DecodedPng {
  expect(file.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8, 10)]).toEqual([8, 6]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(data));
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    expect(rows[row * (width * 4 + 1)]).toBe(0);
    rgba.set(
      rows.subarray(row * (width * 4 + 1) + 1, (row + 1) * (width * 4 + 1)),
      row * width * 4,
    );
  }
  return { width, height, rgba };
}

function alphaAt(png: DecodedPng, x: number, y: number): number {
  return png.rgba[(y * png.width + x) * 4 + 3];
}

describe('app icons', () => {
  it.each(ICONS)('$file is a $size px square PNG', ({ file, size }) => {
    const png = decodePng(readFileSync(path.join(ICON_DIR, file)));
    expect([png.width, png.height]).toEqual([size, size]);
  });

  it('maskable icons are opaque edge to edge; regular ones have rounded corners', () => {
    for (const { file, maskable } of ICONS) {
      const png = decodePng(readFileSync(path.join(ICON_DIR, file)));
      const alphas = Array.from({ length: png.width * png.height }, (_, i) => png.rgba[i * 4 + 3]);
      if (maskable) {
        expect(
          alphas.every((alpha) => alpha === 255),
          file,
        ).toBe(true);
      } else {
        expect(alphaAt(png, 0, 0), file).toBe(0);
        expect(alphaAt(png, png.width >> 1, png.height >> 1), file).toBe(255);
      }
    }
  });

  it('the committed files are what `npm run icons` draws', () => {
    const { file, size, maskable } = ICONS[0];
    const committed = readFileSync(path.join(ICON_DIR, file));
    expect(encodePng(size, drawIcon(size, maskable)).equals(committed)).toBe(true);
  });
});
