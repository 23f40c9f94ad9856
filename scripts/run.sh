#!/usr/bin/env bash
# `make run`: prepare the venv, database, static files (and the storefront build) and start web + worker with honcho.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh

export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-8000}"
export MEIDUO_DATA_DIR
MEIDUO_DATA_DIR=$(realpath -m "${MEIDUO_DATA_DIR:-var}")
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.base}"
export PYTHONUNBUFFERED=1
# honcho gives each process its own PORT, so the address reaches the Procfile under another name.
export MEIDUO_BIND="$HOST:$PORT"
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p "$MEIDUO_DATA_DIR"

# The storefront SPA (frontend/): rebuilt only when a source file changed since the last build.
scripts/frontend.sh build

echo "run: migrate, collectstatic (data in $MEIDUO_DATA_DIR)"
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
# Demo data (catalog, users) once another engineer adds the command; skipped quietly until then.
if python manage.py help load_demo >/dev/null 2>&1; then
    python manage.py load_demo
fi

echo "run: serving http://$MEIDUO_BIND (Ctrl-C stops the web server and the worker)"
exec honcho start --procfile Procfile --app-root "$PWD"
