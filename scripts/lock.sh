#!/usr/bin/env bash
# `make lock`: recompile requirements/{base,dev,mysql}.txt from the .in files (pass --upgrade to move pins forward).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh
for name in base dev mysql; do
    echo "lock: requirements/$name.txt"
    .venv/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe "$@" \
        -o "requirements/$name.txt" "requirements/$name.in"
done
# A lock file must never name a package index (only the pins themselves).
if grep -nE '^[[:space:]]*(-i|--index-url|--extra-index-url|--find-links|-f)\b|://' requirements/*.txt | grep -v '^[^:]*:[0-9]*:#'; then
    echo "lock: an index URL or link appeared in requirements/*.txt" >&2
    exit 1
fi
