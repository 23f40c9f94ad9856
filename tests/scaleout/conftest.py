"""The two-host test runs only when asked for by its marker (`-m scaleout`, a phase of scripts/test.sh) and on
PostgreSQL + Redis (scripts/test-services.sh): it starts six processes and runs for about two minutes, so the
suite's ordinary runs (`-m "not browser"`) leave it out."""

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    asked = "scaleout" in (config.option.markexpr or "")
    services = os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(os.environ.get("REDIS_URL"))
    for item in items:
        if item.get_closest_marker("scaleout") is None:
            continue
        if not asked:
            item.add_marker(pytest.mark.skip(reason="two web hosts: run with -m scaleout (scripts/test.sh does)"))
        elif not services:
            item.add_marker(pytest.mark.skip(reason="two web hosts need PostgreSQL + Redis (scripts/test-services.sh)"))
