import { defineConfig } from 'vite';
import { viteCommonjs } from '@originjs/vite-plugin-commonjs';

// Recipe from /work/shared/reference/environment.md: Cornerstone3D 5.x under Vite 7.
// The npm package `events` must be a dependency (vtk.js -> xmlbuilder2 extends EventEmitter).
export default defineConfig({
  // Relative asset base: works when the server serves the app at `/` (and under any other prefix).
  base: './',
  plugins: [viteCommonjs()],
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser'],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
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
