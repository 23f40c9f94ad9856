#!/usr/bin/env bash
# `make test`: lint, the suite on the embedded defaults (SQLite + disk cache), on PostgreSQL 15 + Redis and on
# MariaDB + Redis, the replica tests against a real streaming standby, two web hosts with a worker and beat on
# PostgreSQL + Redis, the storefront's unit tests, then the browser tests. Every phase runs even after a failure (one
# CI run reports all of them); each prints its duration, and the run fails if any phase failed.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=()
phase() {  # phase <name> <command…>
    local name=$1 started=$SECONDS
    shift
    echo "=== test: $name"
    if "$@"; then
        echo "=== test: $name passed in $((SECONDS - started)) s"
    else
        echo "=== test: $name FAILED in $((SECONDS - started)) s"
        failed+=("$name")
    fi
}

# The embedded run must not pick up a developer's production variables.
unset DATABASE_URL DATABASE_REPLICA_URLS REDIS_URL CELERY_BROKER_URL
# Test settings make a data folder per process; keep them in one place that is removed afterwards.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/meiduo-test-run.XXXXXX")
trap 'rm -rf "$run_tmp"' EXIT
export MEIDUO_JUNIT_DIR=$run_tmp/junit
mkdir -p "$MEIDUO_JUNIT_DIR"
export TMPDIR=$run_tmp

phase "venv" scripts/venv.sh
[ "${#failed[@]}" -eq 0 ] || exit 1
phase "lint" scripts/lint.sh
phase "pytest on SQLite + disk cache" scripts/pytest.sh -m "not browser"
phase "pytest on PostgreSQL + Redis" scripts/test-services.sh scripts/pytest.sh -m "not browser"
phase "pytest on MariaDB + Redis" scripts/test-mariadb.sh scripts/pytest.sh -m "not browser"
phase "replica tests on PostgreSQL streaming replica" env REPLICA=1 scripts/test-services.sh scripts/pytest.sh -m replica
# Two web hosts, a worker and one beat sharing only PostgreSQL, Redis and S3 (tests/scaleout, docs/operations.md).
phase "two web hosts on PostgreSQL + Redis" scripts/test-services.sh scripts/pytest.sh -m scaleout tests/scaleout
if [ -f frontend/package.json ]; then
    phase "storefront unit tests" scripts/frontend.sh test
fi
if .venv/bin/pytest -q --collect-only -m browser >/dev/null 2>&1; then
    # Debian's Chromium, and a CJK font so the Chinese pages (and their screenshots) render.
    if [ -z "${CHROMIUM_PATH:-}" ]; then
        phase "chromium and fonts from apt" scripts/apt-install.sh chromium fonts-noto-cjk
    fi
    phase "storefront build" scripts/frontend.sh build
    phase "browser tests" scripts/pytest.sh -m browser
else
    echo "=== test: no browser tests yet"
fi
# One closing line over every pytest run (SQLite, PostgreSQL + Redis, MariaDB + Redis, browser).
.venv/bin/python scripts/junit_total.py "$MEIDUO_JUNIT_DIR" || failed+=("total")
if [ "${#failed[@]}" -gt 0 ]; then
    printf '=== test: FAILED after %s s: %s\n' "$SECONDS" "$(IFS=,; echo "${failed[*]}")"
    exit 1
fi
echo "=== test: all passed in $SECONDS s"
