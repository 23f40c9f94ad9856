#!/usr/bin/env bash
# `make lint`: ruff check, ruff format --check, mypy on meiduo/ and config/, and no missing migrations.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh
echo "lint: ruff check"
.venv/bin/ruff check .
echo "lint: ruff format --check"
.venv/bin/ruff format --check .
echo "lint: mypy meiduo config"
.venv/bin/mypy meiduo config
echo "lint: makemigrations --check"
DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python manage.py makemigrations --check --dry-run
