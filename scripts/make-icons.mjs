// Draws the app icons (192, 512, maskable 512, apple-touch 180) as PNGs with no
// dependencies and no network: three fader slots with caps on a dark tile.
// Run: node scripts/make-icons.mjs  (writes public/icons/*.png; commit the output)
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const BG = [15, 17, 21];
const TILE = [26, 29, 36];
const SLOT = [52, 57, 68];
const CAPS = [[255, 176, 32], [255, 176, 32], [64, 200, 170]];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Signed distance to a rounded rectangle (centre cx,cy, half size hw,hh, radius r). */
function roundRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function draw(size, { maskable }) {
  const buf = Buffer.alloc(size * size * 4);
  const s = size / 512;
  // Maskable icons keep their content inside the 80% safe zone and fill the square.
  const scale = maskable ? 0.72 : 1;
  const shapes = [];
  const tile = maskable ? null : { cx: 256, cy: 256, hw: 240, hh: 240, r: 96, color: TILE };
  const xs = [160, 256, 352];
  const capY = [300, 190, 250];
  xs.forEach((x, i) => {
    shapes.push({ cx: x, cy: 256, hw: 12, hh: 150, r: 12, color: SLOT });
    shapes.push({ cx: x, cy: capY[i], hw: 44, hh: 24, r: 10, color: CAPS[i] });
  });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Supersample 3x3 for clean edges.
      let acc = [0, 0, 0, 0];
      for (let sy = 0; sy < 3; sy++) {
        for (let sx = 0; sx < 3; sx++) {
          const x = (px + (sx + 0.5) / 3) / s;
          const y = (py + (sy + 0.5) / 3) / s;
          let color = maskable ? TILE : null;
          if (tile && roundRect(x, y, tile.cx, tile.cy, tile.hw, tile.hh, tile.r) <= 0) color = tile.color;
          const ux = 256 + (x - 256) / scale;
          const uy = 256 + (y - 256) / scale;
          if (color) for (const sh of shapes) if (roundRect(ux, uy, sh.cx, sh.cy, sh.hw, sh.hh, sh.r) <= 0) color = sh.color;
          if (color) { acc[0] += color[0]; acc[1] += color[1]; acc[2] += color[2]; acc[3] += 255; }
        }
      }
      const o = (py * size + px) * 4;
      const a = acc[3] / 9;
      buf[o] = a ? Math.round(acc[0] / (acc[3] / 255)) : BG[0];
      buf[o + 1] = a ? Math.round(acc[1] / (acc[3] / 255)) : BG[1];
      buf[o + 2] = a ? Math.round(acc[2] / (acc[3] / 255)) : BG[2];
      buf[o + 3] = Math.round(a);
    }
  }
  return png(size, buf);
}

const dir = new URL('../public/icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('icon-192.png', dir), draw(192, { maskable: false }));
writeFileSync(new URL('icon-512.png', dir), draw(512, { maskable: false }));
writeFileSync(new URL('icon-maskable-512.png', dir), draw(512, { maskable: true }));
writeFileSync(new URL('apple-touch-icon-180.png', dir), draw(180, { maskable: true }));
console.log('icons written to public/icons/');
