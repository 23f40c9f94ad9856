"""Database router: writes and migrations on the primary; reads that tolerate lag may go to a read replica.

Every ORM query goes to the primary (`ReplicaRouter`), so whatever a request
writes it reads back, and every decision (stock, cart, login, payment) is made
on live data. Only `lag_tolerant_rows` reads a replica: the catalog and search
answers (meiduo.goods.selectors, meiduo.search.backends), which are anyway
cached for CATALOG_CACHE_TIMEOUT. A replica that cannot be reached, or fails a
read, is left out for DATABASE_REPLICA_RETRY_SECONDS in this process and the
read is answered by the primary (docs/operations.md, "Read replicas").
"""

import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import Model

from meiduo.core.sql import dialect
from meiduo.core.sql import rows as sql_rows

logger = logging.getLogger("meiduo.db")

# Replica alias → time.monotonic() of its last failure in this process (until it answers again).
_failed_at: dict[str, float] = {}
_primary_only: ContextVar[bool] = ContextVar("primary_only", default=False)


def read_alias() -> str:
    """A replica for reads that tolerate replication lag (catalog, search), else the primary.

    The primary inside `primary_reads()` and inside a transaction on the primary (the read is part of a write),
    and when every replica failed within the last DATABASE_REPLICA_RETRY_SECONDS.
    """
    replicas: list[str] = settings.READ_REPLICAS
    if not replicas or _primary_only.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if _failed_at:
        now, retry = time.monotonic(), settings.DATABASE_REPLICA_RETRY_SECONDS
        replicas = [alias for alias in replicas if now - _failed_at.get(alias, now - retry) >= retry]
        if not replicas:
            return DEFAULT_DB_ALIAS
    return random.choice(replicas)  # noqa: S311 - load spreading, not security


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within the block `read_alias()` is the primary: for work that keeps what it read (an export, a report)."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


def lag_tolerant_rows(
    statement: str, params: Sequence[Any], *, adapt: Callable[[str, str], str] = dialect
) -> list[tuple[Any, ...]]:
    """Every row of a read statement that tolerates replication lag, read on `read_alias()`.

    `adapt(vendor, statement)` gives the statement's text for the engine it runs on (default: MySQL's
    backquoted identifiers, `meiduo.core.sql.dialect`). When the replica cannot be
    connected to or fails the read (it is down, restarting, or cancelled the statement), the replica is left out
    for DATABASE_REPLICA_RETRY_SECONDS and the primary answers: a read, so running it again changes nothing.
    """
    alias = read_alias()
    if alias != DEFAULT_DB_ALIAS:
        connection = connections[alias]
        try:
            rows = sql_rows(statement, params, using=alias, adapt=adapt)
        except (OperationalError, InterfaceError) as error:
            _failed_at[alias] = time.monotonic()
            connection.close()  # the next try opens a new connection
            logger.warning(
                "replica %s failed, reading the primary for %s s: %s",
                alias,
                settings.DATABASE_REPLICA_RETRY_SECONDS,
                str(error).strip(),
            )
        else:
            if _failed_at:
                _failed_at.pop(alias, None)
            return rows
    return sql_rows(statement, params, adapt=adapt)


class ReplicaRouter:
    """Route every write to the primary; ORM reads go to the primary too, for read-your-writes safety."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
