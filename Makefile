# Meiduo Mall developer commands. Each target is a thin wrapper over scripts/.
.PHONY: run test bench lint lock messages venv help

help:  ## List the targets.
	@grep -E '^[a-z]+:.*## ' Makefile | sed -E 's/:.*## /\t/'

run:  ## Serve the shop at http://$(or $(HOST),127.0.0.1):$(or $(PORT),8000) on the embedded defaults (Ctrl-C stops).
	@scripts/run.sh

test:  ## Lint, then the whole suite on SQLite + disk cache, on PostgreSQL 15 + Redis and on MariaDB + Redis.
	@scripts/test.sh

bench:  ## Benchmark against the framework ceiling at 1k/100k/1M SKUs (QUICK=1: a one-minute subset); writes docs/performance.md.
	@scripts/venv.sh && QUICK=$(QUICK) .venv/bin/python bench/suite.py

lint:  ## ruff check, ruff format --check, mypy, makemigrations --check, ESLint (storefront).
	@scripts/lint.sh

lock:  ## Recompile requirements/*.txt from requirements/*.in (pinned, no index URL).
	@scripts/lock.sh

messages:  ## makemessages + compilemessages (zh_Hans) for every app with a locale/ folder.
	@scripts/messages.sh

venv:  ## Create .venv and install the pinned requirements (only when they changed).
	@scripts/venv.sh
