import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // electron-store is ESM-only; bundling it keeps the CommonJS main bundle loadable.
      externalizeDeps: { exclude: ['electron-store', 'conf', 'zod', 'drizzle-orm', 'jose', 'pusher-js'] },
      rollupOptions: {
        input: {
          // The Electron app.
          index: resolve(__dirname, 'src/main/index.ts'),
          // Browser mode: the same core under plain Node (must never load electron).
          web: resolve(__dirname, 'src/main/web/index.ts'),
          // The core in Electron's utilityProcess (must never load electron either).
          'core-host': resolve(__dirname, 'src/main/core-host/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot require node_modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      // electron-vite leaves bundles unminified; the renderer's is parsed and compiled by every new
      // window, and minified it is a third of the size (bench: ui, first mount in a fresh browser).
      minify: !process.env.SB_NO_MINIFY,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          // Installs window.switchboard over a WebSocket in browser mode; Electron uses the preload instead.
          'web-bridge': resolve(__dirname, 'src/renderer/web-bridge/index.ts'),
        },
        output: { entryFileNames: 'assets/[name].js' },
      },
    },
  },
});
