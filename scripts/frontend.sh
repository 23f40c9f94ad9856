#!/usr/bin/env bash
# The storefront (frontend/): `build` rebuilds dist/ only when a source changed; `test` runs its unit tests;
# `lint` runs ESLint.
# Installs node_modules with `npm ci` when package-lock.json changed. Does nothing when there is no frontend/.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f frontend/package.json ] || exit 0
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
    echo "frontend: Node 20 or newer is required (node --version: $(node --version 2>/dev/null || echo none))" >&2
    exit 1
fi
cd frontend

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "frontend: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi

case "${1:-build}" in
    build)
        # The stamp lives in node_modules (not served, and gone when the dependencies are reinstalled).
        stamp=node_modules/.meiduo-build-stamp
        if [ ! -f "$stamp" ] || [ ! -f dist/index.html ] \
            || [ -n "$(find . -path ./node_modules -prune -o -path ./dist -prune -o -type f -newer "$stamp" -print -quit)" ]; then
            echo "frontend: npm run build"
            touch "$stamp.next"
            npm run build --silent
            mv "$stamp.next" "$stamp"
        fi
        ;;
    test)
        npm test --silent
        ;;
    lint)
        npm run lint --silent
        ;;
    *)
        echo "usage: scripts/frontend.sh build|test|lint" >&2
        exit 2
        ;;
esac
