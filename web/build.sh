#!/usr/bin/env bash
# Builds the web app into $1 with the machine's node/npm. Installs npm packages from the lockfile only when
# the lockfile changed, and rebuilds only when a source changed: a no-change build takes well under a second.
set -euo pipefail
out=${1:?usage: build.sh OUTPUT_DIR}
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` with the committed lockfile installs exactly the locked versions. Not `npm ci`: it insists
  # that every optional platform package (rollup's builds for Android, macOS, ...) be in the lockfile, and
  # registries that hold only this platform's builds (as ours does) cannot produce such a lockfile.
  # --no-save: npm would otherwise write those platform packages into the committed lockfile.
  npm install --no-save --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi
stamp="$out/.build-stamp"
if [ -f "$stamp" ] && [ -z "$(find src index.html package-lock.json vite.config.ts tsconfig.json -newer "$stamp" 2>/dev/null | head -1)" ]; then
  exit 0
fi
npx tsc --noEmit
npx vite build --outDir "$out" --emptyOutDir --logLevel warn
touch "$stamp"
