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
# Links the shop sends out (verification mail, payment return/notify) point at this address unless configured.
case "$HOST" in 0.0.0.0 | "::") SITE="http://127.0.0.1:$PORT" ;; *) SITE="http://$HOST:$PORT" ;; esac
# The shop answers the names it is reached by: loopback, the HOST it listens on, and (listening on every
# interface, e.g. to try it from a phone on the same network) any name, unless ALLOWED_HOSTS is given.
case "$HOST" in
    0.0.0.0 | "::") export ALLOWED_HOSTS="${ALLOWED_HOSTS:-*}" ;;
    *) export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$HOST}" ;;
esac
export EMAIL_VERIFY_URL="${EMAIL_VERIFY_URL:-$SITE/success_verify_email.html}"
export ACCOUNT_ACTIVATION_URL="${ACCOUNT_ACTIVATION_URL:-$SITE/activate}"
export PAYMENT_RETURN_URL="${PAYMENT_RETURN_URL:-$SITE/pay_success.html}"
export PAYMENT_NOTIFY_URL="${PAYMENT_NOTIFY_URL:-$SITE/api/v1/payment/alipay/notify/}"
export PAYMENT_DEMO_GATEWAY_URL="${PAYMENT_DEMO_GATEWAY_URL:-$SITE/api/v1/payment/demo/gateway/}"
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p "$MEIDUO_DATA_DIR"

# The storefront SPA (frontend/): rebuilt only when a source file changed since the last build.
scripts/frontend.sh build

echo "run: migrate, collectstatic (data in $MEIDUO_DATA_DIR)"
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
# Demo data (catalog and home page), loaded once; later starts only check that it is there.
# MEIDUO_LOAD_DEMO=0 skips it (`make bench` serves its generated catalogs).
if [ "${MEIDUO_LOAD_DEMO:-1}" != 0 ]; then
    python manage.py load_demo
fi

# MEIDUO_RUN_PROCESSES names the Procfile processes to start (default all; `make bench` starts only `web`).
echo "run: serving http://$MEIDUO_BIND (Ctrl-C stops the web server and the worker)"
# shellcheck disable=SC2086  # a space-separated list of process names
exec honcho start --procfile Procfile --app-root "$PWD" ${MEIDUO_RUN_PROCESSES:-}
