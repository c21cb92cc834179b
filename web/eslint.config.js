// ESLint for the browser app: the TypeScript rules plus the import boundaries of docs/architecture.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const cornerstone = ['@cornerstonejs/*', '@kitware/vtk.js', '@kitware/vtk.js/*', 'dicom-parser'];

export default tseslint.config(
  { ignores: ['node_modules/', 'target/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  { files: ['eslint.config.js'], extends: [tseslint.configs.disableTypeChecked] },
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Only the cornerstone extension talks to Cornerstone3D (and its vtk.js and DICOM parser): everything
    // else goes through what that extension exports, so the renderer can change without touching the app.
    files: ['src/**/*.ts'],
    ignores: ['src/extensions/cornerstone/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: cornerstone, message: 'Only src/extensions/cornerstone may import Cornerstone3D.' }] },
      ],
    },
  },
  {
    // The platform (API client, router, session, DICOM JSON helpers) sits under every extension and mode.
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: cornerstone, message: 'Only src/extensions/cornerstone may import Cornerstone3D.' },
            { group: ['**/extensions/**', '**/modes/**'], message: 'The platform imports no extension or mode.' },
          ],
        },
      ],
    },
  },
  {
    files: ['vite.config.ts', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
