import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Cross-origin isolation: SharedArrayBuffer (parameter rings, meters) needs
 * COOP + COEP on every document the app is served from, in dev and preview.
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * Vite's and vitest's cache, kept out of node_modules: npm trusts
 * node_modules/.package-lock.json only while nothing in node_modules is newer
 * than it, and when it does not, `npx outboard` re-reads every package.json in
 * the tree before running the CLI (about 0.3 s more per command).
 */
const VITE_CACHE_DIR = '.cache/vite'; // vitest.config.ts uses the same

/** Where `npm start` runs the relay (SPEC §8). */
const RELAY = 'http://127.0.0.1:8350';

/**
 * wasm/engine.wasm is built by `scripts/build-wasm.mjs`. When it is missing
 * (a checkout without the AssemblyScript build), the app still builds: the
 * engine's `?url` import resolves to an empty URL, audio reports itself
 * unavailable at runtime, and everything else works.
 */
function missingWasmIsNotFatal(): Plugin {
  const stub = '\0outboard-missing-wasm';
  return {
    name: 'outboard:missing-wasm',
    enforce: 'pre',
    resolveId(id, importer) {
      // OUTBOARD_APP_WITHOUT_AUDIO=1 builds the app with no engine at all (UI work while the engine is in pieces).
      if (process.env.OUTBOARD_APP_WITHOUT_AUDIO === '1' && /engine\/audio-engine\.ts$/.test(id)) return stub;
      if (!id.endsWith('.wasm?url') || !importer) return null;
      const file = resolve(dirname(importer), id.slice(0, -'?url'.length));
      if (existsSync(file)) return null;
      this.warn(`${file} is missing: building the app without audio (run node scripts/build-wasm.mjs)`);
      return stub;
    },
    load(id) {
      return id === stub ? 'export default "";' : null;
    },
  };
}

export default defineConfig({
  // Outside node_modules: a new entry there makes npm's hidden lockfile stale, and every `npx outboard` then re-reads the whole tree (see VITE_CACHE_DIR).
  cacheDir: VITE_CACHE_DIR,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  server: {
    port: 3000,
    strictPort: true,
    headers: ISOLATION_HEADERS,
    // The HMR socket has its own path and port, so it never collides with the relay's /ws.
    hmr: { path: '/__vite_hmr', port: 24678 },
    proxy: {
      '/ws': { target: RELAY, ws: true, changeOrigin: true },
      '/api': { target: RELAY, changeOrigin: true },
      '/health': { target: RELAY, changeOrigin: true },
      '/admin': { target: RELAY, changeOrigin: true },
    },
  },
  preview: { port: 4173, headers: ISOLATION_HEADERS },
  plugins: [
    missingWasmIsNotFatal(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Outboard',
        short_name: 'Outboard',
        description: 'Racks of effects and instruments per track, live in the browser, offline first.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        orientation: 'any',
        background_color: '#0f1115',
        theme_color: '#0f1115',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell, the worklet chunk and engine.wasm, whatever names the build gives them.
        globPatterns: ['**/*.{js,mjs,css,html,wasm,png,svg,ico}'],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/(api|ws|health|admin)(\/|$)/],
        cleanupOutdatedCaches: true,
        // The first install takes the open page at once; an update only activates when the user accepts it.
        clientsClaim: true,
        skipWaiting: false,
      },
    }),
  ],
});
