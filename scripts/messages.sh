#!/usr/bin/env bash
# `make messages`: refresh and compile the zh_Hans catalog of every app that has a locale/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh
root=$PWD
for locale in meiduo/*/locale; do
    [ -d "$locale" ] || continue
    app=$(dirname "$locale")
    echo "messages: $app"
    (cd "$app" && "$root/.venv/bin/python" "$root/manage.py" makemessages -l zh_Hans --verbosity 0 \
        && "$root/.venv/bin/python" "$root/manage.py" compilemessages --verbosity 0)
done
