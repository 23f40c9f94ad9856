"""Which exceptions mean "a backing service is down" (database, cache, broker) rather than a bug.

Only outages: a lost or refused connection, a timeout, a locked database. A ProgrammingError, DataError or
an unexpected IntegrityError is a bug: it is a 500 with its traceback in the log, not a quiet 503.
"""

import sqlite3
import sys

from diskcache import Timeout as DiskCacheTimeout
from django.db import InterfaceError, InternalError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from meiduo.core.errors import ServiceUnavailable

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    sqlite3.OperationalError,
    DiskCacheTimeout,
    BrokerError,
    ConnectionError,
    ServiceUnavailable,
)


# PostgreSQL's read_only_sql_transaction: a write reached a server that is (now) a standby, e.g. after a failover.
READ_ONLY_SQLSTATE = "25006"


def is_unavailable(exc: BaseException) -> bool:
    """True when the exception comes from a backing service being down, unreachable or overloaded."""
    if isinstance(exc, InternalError):  # mostly bugs (a statement in a failed transaction), but not this one
        return getattr(exc.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE
    return isinstance(exc, UNAVAILABLE_ERRORS + _redis_outages())


def _redis_outages() -> tuple[type[BaseException], ...]:
    """Redis's connection, time-out and read-only errors, once redis is in use (the embedded engines never load it:
    importing it only for this check cost every web process several MB)."""
    exceptions = sys.modules.get("redis.exceptions")
    if exceptions is None:
        return ()
    return (exceptions.ConnectionError, exceptions.TimeoutError, exceptions.ReadOnlyError)
