import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
/** `npm run dev:desk` next to a running all-in-one: the API, sign-in and config go to it. */
const backend = process.env.DESK_BACKEND ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: here,
  base: '/',
  // React's automatic JSX runtime; no plugin needed for a production build
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/desk', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': backend, '/auth': backend, '/desk-config.json': backend },
  },
});
