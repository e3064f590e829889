// Prints the app's bundle sizes, gzipped, and checks the first-load budget:
// the JS that index.html loads (entry + its static imports), wasm excluded.
// Run: node bench/bundle-size.mjs [dist] (scripts/build-app.mjs prints it after each build).
// Plain JS so scripts/build-app.mjs (run by node without a compile step) can import it too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** First-load JavaScript budget, gzipped bytes (issue 6). */
export const FIRST_LOAD_BUDGET = 150 * 1024;

/** Gzipped size (level 9) of a file, in bytes. */
export const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Every file under `dir`, recursively. */
export function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/**
 * The JS loaded on a first visit before the app is interactive: index.html's
 * scripts and modulepreloads, their static imports, and workbox-window (imported
 * at start to register the service worker). The engine, worklet and wasm load on Play.
 */
export function firstLoadFiles(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const seen = new Set();
  const atStart = readdirSync(join(dist, 'assets')).filter((f) => /^workbox-window.*\.js$/.test(f)).map((f) => `assets/${f}`);
  const queue = [...[...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]), ...atStart];
  while (queue.length) {
    const rel = queue.shift();
    if (seen.has(rel) || !existsSync(join(dist, rel))) continue;
    seen.add(rel);
    const code = readFileSync(join(dist, rel), 'utf8');
    // Static imports only: `import ... from "./x.js"` / `import "./x.js"` (not import()).
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      queue.push(join(rel, '..', m[1]).replace(/\\/g, '/'));
    }
  }
  return [...seen];
}

/** Prints every emitted asset with its gzipped size and the first-load total; returns that total. */
export function printBundleReport(dist = 'dist') {
  const all = files(dist).filter((p) => /\.(js|css|wasm|html)$/.test(p));
  const first = new Set(firstLoadFiles(dist));
  console.log('\nbundle report (gzip -9)');
  for (const p of all.sort()) {
    const rel = relative(dist, p);
    const mark = first.has(rel) ? ' *first load*' : '';
    console.log(`  ${rel.padEnd(48)} ${kb(statSync(p).size).padStart(10)} ${kb(gz(p)).padStart(10)} gz${mark}`);
  }
  const total = [...first].reduce((n, rel) => n + gz(join(dist, rel)), 0);
  const verdict = total <= FIRST_LOAD_BUDGET ? 'within' : 'OVER';
  console.log(`  first-load JS: ${kb(total)} gzipped (${verdict} the ${kb(FIRST_LOAD_BUDGET)} budget, wasm excluded)\n`);
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const total = printBundleReport(process.argv[2] ?? 'dist');
  if (total > FIRST_LOAD_BUDGET) process.exitCode = 1;
}
