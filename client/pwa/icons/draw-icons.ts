// Draws the app's icons (a chat bubble with a padlock on the app's dark blue) as PNG files
// into client/public/icons/. Run once with `npm run icons`; the PNGs are committed, so the
// build needs nothing but Node. Plain pixel maths and zlib: no image library to install.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];

const BACKGROUND_TOP: Rgb = [0x1b, 0x23, 0x4a];
const BACKGROUND_BOTTOM: Rgb = [0x0b, 0x10, 0x20];
const BUBBLE: Rgb = [0x7c, 0xc4, 0xff];
const LOCK: Rgb = [0x0b, 0x10, 0x20];

interface IconSpec {
  file: string;
  size: number;
  /** Maskable icons fill the square; launchers crop them to a circle or squircle. */
  maskable: boolean;
}

export const ICONS: readonly IconSpec[] = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-192.png', size: 192, maskable: true },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
];

/** Signed distance from (x, y) to a rounded rectangle centred at (cx, cy). */
function roundedRect(
  x: number,
  y: number,
  cx: number,
  cy: number,
  halfW: number,
  halfH: number,
  r: number,
): number {
  const qx = Math.abs(x - cx) - halfW + r;
  const qy = Math.abs(y - cy) - halfH + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Signed distance to a triangle (the bubble's tail), by its three corners. */
function triangle(x: number, y: number, a: number[], b: number[], c: number[]): number {
  const edges = [
    [a, b],
    [b, c],
    [c, a],
  ] as const;
  let distance = Infinity;
  let inside = true;
  for (const [p, q] of edges) {
    const ex = q[0] - p[0];
    const ey = q[1] - p[1];
    const t = Math.max(0, Math.min(1, ((x - p[0]) * ex + (y - p[1]) * ey) / (ex * ex + ey * ey)));
    distance = Math.min(distance, Math.hypot(x - p[0] - ex * t, y - p[1] - ey * t));
    if (ex * (y - p[1]) - ey * (x - p[0]) < 0) inside = false;
  }
  return inside ? -distance : distance;
}

/** Coverage of a shape at a pixel from its signed distance (one pixel of anti-aliasing). */
function coverage(distance: number, pixel: number): number {
  return Math.max(0, Math.min(1, 0.5 - distance / pixel));
}

function mix(under: Rgb, over: Rgb, amount: number): Rgb {
  return [0, 1, 2].map((i) => under[i] + (over[i] - under[i]) * amount) as unknown as Rgb;
}

/** RGBA pixels of one icon, in unit coordinates (0..1) so every size draws the same. */
export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const pixel = 1 / size;
  // Maskable: content inside the central 80% safe zone; regular: a rounded tile.
  const scale = maskable ? 0.78 : 1;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (column + 0.5) / size;
      const y = (row + 0.5) / size;
      const u = 0.5 + (x - 0.5) / scale;
      const v = 0.5 + (y - 0.5) / scale;
      const tile = maskable ? 1 : coverage(roundedRect(x, y, 0.5, 0.5, 0.5, 0.5, 0.22), pixel);
      let colour = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y);
      const bubble = Math.min(
        roundedRect(u, v, 0.5, 0.46, 0.3, 0.22, 0.09),
        triangle(u, v, [0.3, 0.6], [0.44, 0.6], [0.27, 0.8]),
      );
      colour = mix(colour, BUBBLE, coverage(bubble, pixel / scale));
      const shackle = Math.abs(roundedRect(u, v, 0.5, 0.41, 0.065, 0.08, 0.065)) - 0.018;
      const shackleTop = v < 0.45 ? shackle : Infinity;
      const body = roundedRect(u, v, 0.5, 0.5, 0.1, 0.075, 0.02);
      colour = mix(colour, LOCK, coverage(Math.min(shackleTop, body), pixel / scale));
      const keyhole = Math.hypot(u - 0.5, v - 0.49) - 0.018;
      colour = mix(colour, BUBBLE, coverage(keyhole, pixel / scale));
      const offset = (row * size + column) * 4;
      pixels.set([...colour.map(Math.round), Math.round(tile * 255)], offset);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A truecolour-with-alpha PNG of square RGBA pixels. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter set, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let row = 0; row < size; row++) {
    rows[row * (size * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(row * size * 4, (row + 1) * size * 4), row * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const outDir = path.resolve(import.meta.dirname, '../../public/icons');
  mkdirSync(outDir, { recursive: true });
  for (const icon of ICONS) {
    writeFileSync(
      path.join(outDir, icon.file),
      encodePng(icon.size, drawIcon(icon.size, icon.maskable)),
    );
    console.warn(`wrote ${icon.file}`);
  }
}
