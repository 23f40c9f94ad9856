#!/usr/bin/env bash
# Run pytest (extra arguments are passed on); "no tests collected" is an error, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."

.venv/bin/pytest -q -rfEs "$@"
status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest: no tests were collected (exit 5) — treated as a failure" >&2
    exit 1
fi
exit "$status"
