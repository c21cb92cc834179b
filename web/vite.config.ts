import { createLogger, defineConfig } from 'vite';
import { viteCommonjs } from '@originjs/vite-plugin-commonjs';

// The WASM codecs' Emscripten glue (and xmlbuilder2) import Node's fs/path/url only on Node; Vite warns
// about each on every build. Those warnings say nothing about our code: drop just them.
const logger = createLogger('warn');
for (const level of ['warn', 'warnOnce'] as const) {
  const original = logger[level].bind(logger);
  logger[level] = (msg, options) => {
    if (/has been externalized for browser compatibility/.test(msg)) return;
    original(msg, options);
  };
}

// Recipe from /work/shared/reference/environment.md: Cornerstone3D 5.x under Vite 7.
// The npm package `events` must be a dependency (vtk.js -> xmlbuilder2 extends EventEmitter).
export default defineConfig({
  // Relative asset base: works when the server serves the app at `/` (and under any other prefix).
  base: './',
  customLogger: logger,
  plugins: [viteCommonjs()],
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser'],
  },
  build: {
    target: 'es2022',
    // The Cornerstone chunk (core + tools + vtk.js) is about 4.2 MB minified; it loads lazily in the viewer.
    chunkSizeWarningLimit: 6144,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a locally running server (MEDSYNC_URL, default http://127.0.0.1:8080).
    proxy: Object.fromEntries(
      ['/api', '/dicomweb', '/health'].map((p) => [p, process.env.MEDSYNC_URL ?? 'http://127.0.0.1:8080']),
    ),
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
} as import('vite').UserConfig);
