import { defineConfig } from 'vite';

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
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/signal': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
