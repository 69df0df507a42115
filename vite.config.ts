import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The app's dark blue: the splash screen and the title bar match the page. */
const THEME_COLOUR = '#0b1020';

// The web app manifest (DESIGN.md section 10); the plugin writes manifest.webmanifest and
// links it from index.html. test/e2e/pwa.test.ts checks the served file.
const webManifest = {
  id: '/',
  name: 'Secure Chat',
  short_name: 'Chat',
  description: 'End-to-end encrypted, peer-to-peer chat rooms that work offline.',
  lang: 'en',
  start_url: '/',
  scope: '/',
  display: 'standalone' as const,
  orientation: 'any' as const,
  theme_color: THEME_COLOUR,
  background_color: THEME_COLOUR,
  categories: ['social', 'communication'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  // Other apps' "Share" sheets post files here; sw/sw.ts answers the POST (issue 6 uses it).
  share_target: {
    action: '/share',
    method: 'POST' as const,
    enctype: 'multipart/form-data' as const,
    params: {
      title: 'title',
      text: 'text',
      url: 'url',
      files: [{ name: 'files', accept: ['*/*'] }],
    },
  },
};

// The page lives in client/; the server (signaling/) serves the built files from dist/.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  worker: { format: 'es' },
  plugins: [
    VitePWA({
      // Our own service worker (sw/sw.ts); the plugin only injects the precache list.
      strategies: 'injectManifest',
      srcDir: '../sw',
      filename: 'sw.ts',
      // NOTE: the CSP forbids inline scripts, so the plugin must not add a registration
      // script; client/pwa/start.ts registers the worker with workbox-window.
      injectRegister: false,
      registerType: 'prompt',
      manifest: webManifest,
      // The glob below already precaches every icon.
      includeManifestIcons: false,
      injectManifest: {
        // A classic script: every browser with service workers can run it.
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,png,svg,woff2}'],
        // The crypto worker bundles WebAssembly (hash-wasm) and is part of the shell.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/signal': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
