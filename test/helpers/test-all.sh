#!/usr/bin/env bash
# `npm run test:all`: everything CI checks, in order, from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash test/helpers/system-deps.sh

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi

step() {
  echo
  echo "== $1"
}

step typecheck
npm run typecheck
step lint
npm run lint
step build
npm run build
step "wycheproof vectors"
npm run test:vectors
step unit
npm run test:unit -- --exclude test/unit/crypto/wycheproof.test.ts
step integration
npm run test:integration
step e2e
# The build step above made dist/: the e2e suite tests exactly that.
E2E_APP_DIST=dist npm run test:e2e
echo
echo "test:all: every suite passed"
