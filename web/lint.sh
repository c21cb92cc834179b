#!/usr/bin/env bash
# Checks the web app's format (Prettier) and lint rules (ESLint, with the import boundaries); the Maven build
# runs it in its verify phase. `npm run format` fixes what can be fixed by a tool.
set -euo pipefail
cd "$(dirname "$0")"
stamp=target/.lint-stamp
if [ -f "$stamp" ] && [ -z "$(find src index.html vite.config.ts eslint.config.js .prettierrc.json tsconfig.json package-lock.json -newer "$stamp" 2>/dev/null | head -1)" ]; then
  exit 0
fi
npx prettier --check --log-level warn .
npx eslint --max-warnings 0 .
mkdir -p target && touch "$stamp"
