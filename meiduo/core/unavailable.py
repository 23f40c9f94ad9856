"""Which exceptions mean "a backing service is down" (database, cache, broker) rather than a bug.

Only outages: a lost or refused connection, a timeout, a locked database. A ProgrammingError, DataError or
an unexpected IntegrityError is a bug: it is a 500 with its traceback in the log, not a quiet 503.
"""

import sqlite3
import sys

from diskcache import Timeout as DiskCacheTimeout
from django.db import InterfaceError, InternalError, OperationalError

from meiduo.core.errors import ServiceUnavailable

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    sqlite3.OperationalError,
    DiskCacheTimeout,
    ConnectionError,
    ServiceUnavailable,
)


# PostgreSQL's read_only_sql_transaction: a write reached a server that is (now) a standby, e.g. after a failover.
READ_ONLY_SQLSTATE = "25006"


def is_unavailable(exc: BaseException) -> bool:
    """True when the exception comes from a backing service being down, unreachable or overloaded."""
    if isinstance(exc, InternalError):  # mostly bugs (a statement in a failed transaction), but not this one
        return getattr(exc.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE
    return isinstance(exc, UNAVAILABLE_ERRORS + _loaded_outages())


def _loaded_outages() -> tuple[type[BaseException], ...]:
    """The broker's (kombu) and Redis's connection, time-out and read-only errors, once those clients are loaded.

    Neither is imported only for this check: a web process loads kombu with its first job (meiduo.core.jobs) and
    the embedded engines never load redis; importing them here cost every web process several MB.
    """
    found: list[type[BaseException]] = []
    if (broker := sys.modules.get("kombu.exceptions")) is not None:
        found.append(broker.OperationalError)
    if (redis := sys.modules.get("redis.exceptions")) is not None:
        found += [redis.ConnectionError, redis.TimeoutError, redis.ReadOnlyError]
    return tuple(found)
