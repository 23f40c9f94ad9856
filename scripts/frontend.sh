#!/usr/bin/env bash
# The storefront (frontend/): `build` rebuilds dist/ only when a source changed; `test` runs its unit tests;
# `lint` runs ESLint; `types` regenerates the API schema and its TypeScript types (`--check`: only compares).
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
    types)
        # The API's OpenAPI schema (what /api/schema/ serves) and the TypeScript types generated from it, which
        # src/api/types.ts aliases. `types --check` regenerates both aside and fails if the committed ones differ:
        # a server change the storefront has not caught up with fails `make lint`.
        out=$(mktemp -d)
        trap 'rm -rf "$out"' EXIT
        (cd .. && env MEIDUO_DATA_DIR="$out/data" DJANGO_SETTINGS_MODULE=config.settings.base \
            .venv/bin/python manage.py spectacular --file "$out/openapi.yaml" 2>/dev/null)
        npx openapi-typescript "$out/openapi.yaml" -o "$out/schema.d.ts" --silent >/dev/null
        if [ "${2:-}" = "--check" ]; then
            if ! diff -q "$out/openapi.yaml" openapi.yaml >/dev/null || ! diff -q "$out/schema.d.ts" src/api/schema.d.ts >/dev/null; then
                echo "frontend: openapi.yaml / src/api/schema.d.ts are not those of the current API: run scripts/frontend.sh types" >&2
                exit 1
            fi
        else
            cp "$out/openapi.yaml" openapi.yaml
            cp "$out/schema.d.ts" src/api/schema.d.ts
        fi
        ;;
    *)
        echo "usage: scripts/frontend.sh build|test|lint|types [--check]" >&2
        exit 2
        ;;
esac
