/**
 * Serves the built PWA from dist/ (SPEC §6): cross-origin isolation headers
 * (SharedArrayBuffer needs them), `application/wasm` so streaming compilation
 * works, gzip/brotli for text and wasm, long caching for hashed assets, and
 * index.html for any extension-less path (the SPA's own routes). Until the app
 * is built, a small page says so.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { ISOLATION_HEADERS } from './respond.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.jpg': 'image/jpeg',
  '.webp': 'image/webp', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.wav': 'audio/wav',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.wasm', '.svg', '.txt', '.map']);

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Outboard relay</title>
<body style="font-family:system-ui;max-width:40em;margin:4em auto"><h1>Outboard relay is running</h1>
<p>The app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it when needed) and reload.</p>
<p>The relay itself is up: <a href="/health">/health</a>, <a href="/api/plugins">/api/plugins</a>.</p></body></html>`;

interface Cached {
  readonly mtimeMs: number;
  readonly raw: Buffer;
  readonly gzip?: Buffer;
  readonly br?: Buffer;
}

/** A static file server rooted at `distDir`, with an in-memory cache of compressed files. */
export function createStatic(distDir: string): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const root = normalize(distDir + sep);
  const cache = new Map<string, Cached>();

  async function load(path: string): Promise<Cached | undefined> {
    let info;
    try {
      info = await stat(path);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit;
    const raw = await readFile(path);
    const compress = COMPRESSIBLE.has(extname(path)) && raw.length > 1024;
    const entry: Cached = compress
      ? { mtimeMs: info.mtimeMs, raw, gzip: gzipSync(raw, { level: 9 }), br: brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }) }
      : { mtimeMs: info.mtimeMs, raw };
    cache.set(path, entry);
    return entry;
  }

  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...ISOLATION_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, ISOLATION_HEADERS).end();
      return;
    }
    let path = normalize(join(root, pathname));
    if (!path.startsWith(root) && path + sep !== root) {
      res.writeHead(404, ISOLATION_HEADERS).end();
      return;
    }
    if (pathname.endsWith('/')) path = join(path, 'index.html');
    let file = await load(path);
    if (!file && extname(pathname) === '') {
      path = join(root, 'index.html');
      file = await load(path);
    }
    if (!file) {
      const built = await load(join(root, 'index.html'));
      const body = built ? 'Not found' : NOT_BUILT;
      res.writeHead(built ? 404 : 503, { ...ISOLATION_HEADERS, 'Content-Type': built ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const ext = extname(path);
    const accept = String(req.headers['accept-encoding'] ?? '');
    const [body, encoding] = file.br && /\bbr\b/.test(accept) ? [file.br, 'br'] : file.gzip && /\bgzip\b/.test(accept) ? [file.gzip, 'gzip'] : [file.raw, undefined];
    const hashed = /[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(path) && path.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': body.length,
      // Hashed assets never change; everything else (index.html, sw.js, manifest) is revalidated.
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(file.gzip ? { Vary: 'Accept-Encoding' } : {}),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
