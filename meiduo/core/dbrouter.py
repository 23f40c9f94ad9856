"""Database router: writes and migrations on the primary; selectors may opt in to a read replica."""

import random
from typing import Any

from django.conf import settings
from django.db.models import Model


def read_alias() -> str:
    """A replica alias for reads that tolerate replication lag (catalog, search), else the primary."""
    replicas = [alias for alias in settings.DATABASES if alias.startswith("replica")]
    return random.choice(replicas) if replicas else "default"  # noqa: S311 - load spreading, not security


class ReplicaRouter:
    """Route every write to the primary; reads default to the primary for read-your-writes safety."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"
