import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const addinRoot = fileURLToPath(new URL('.', import.meta.url));

// The API serves the built tab from dist/addin on the same origin as /api, so the dev server
// proxies /api to a locally running API to keep that single-origin shape while developing.
export default defineConfig({
  root: addinRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/addin', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Fluent UI and React make the shared entry chunk ~470 kB before gzip; pages are split
    // out by React.lazy. Warn only if the entry grows well past that.
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: process.env.API_ORIGIN ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: process.env.API_ORIGIN ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
});
