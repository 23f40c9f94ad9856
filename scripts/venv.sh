#!/usr/bin/env bash
# Ensure .venv runs Python 3.11 and holds the pinned requirements; reinstalls only when requirements/*.txt change.
set -euo pipefail
cd "$(dirname "$0")/.."

is_311() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; }

mkdir -p .venv
exec 9>.venv/.lock
flock 9  # two scripts starting at once must not install into the same venv together

if ! is_311 .venv/bin/python; then
    if [ -x .venv/bin/python ]; then
        echo "venv: .venv does not run Python 3.11; delete it (rm -rf .venv) and try again" >&2
        exit 1
    fi
    python=""
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null && is_311 "$candidate"; then
            python=$candidate
            break
        fi
    done
    if [ -z "$python" ]; then
        echo "venv: Python 3.11 is required (python3.11 or python3 must be 3.11)" >&2
        exit 1
    fi
    echo "venv: creating .venv with $(command -v "$python")"
    "$python" -m venv .venv
fi

stamp=.venv/.requirements.sha256
wanted=$(cat requirements/base.txt requirements/dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "venv: installing requirements/base.txt and requirements/dev.txt"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
    echo "$wanted" >"$stamp"
fi
