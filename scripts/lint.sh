#!/usr/bin/env bash
# `make lint`: ruff check, ruff format --check, mypy on meiduo/ and config/, no missing migrations, and ESLint
# (vue + typescript) on the storefront.
# Every check runs; the script fails if any of them failed.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh || exit 1
status=0
check() {  # check <name> <command…>
    echo "lint: $1"
    shift
    "$@" || { status=1; echo "lint: ^ failed"; }
}
check "ruff check" .venv/bin/ruff check .
check "ruff format --check" .venv/bin/ruff format --check .
check "mypy meiduo config" .venv/bin/mypy meiduo config
check "makemigrations --check" env DJANGO_SETTINGS_MODULE=config.settings.test \
    .venv/bin/python manage.py makemigrations --check --dry-run
check "eslint frontend" scripts/frontend.sh lint
check "storefront types match the API schema" scripts/frontend.sh types --check
exit "$status"
