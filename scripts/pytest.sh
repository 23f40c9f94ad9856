#!/usr/bin/env bash
# Run pytest (extra arguments are passed on); "no tests collected" is an error, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."

junit=()
# make test collects every run's results in MEIDUO_JUNIT_DIR to print one total at the end.
[ -z "${MEIDUO_JUNIT_DIR:-}" ] || junit=(--junitxml "$(mktemp "$MEIDUO_JUNIT_DIR/pytest.XXXXXX.xml")")
.venv/bin/pytest -q -rfEs "${junit[@]}" "$@"
status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest: no tests were collected (exit 5) — treated as a failure" >&2
    exit 1
fi
exit "$status"
