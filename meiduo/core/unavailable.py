"""Which exceptions mean "a backing service is down" (database, cache, broker) rather than a bug.

Only outages: a lost or refused connection, a timeout, a locked database. A ProgrammingError, DataError or
an unexpected IntegrityError is a bug: it is a 500 with its traceback in the log, not a quiet 503.
"""

import sqlite3

from diskcache import Timeout as DiskCacheTimeout
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError as RedisReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from meiduo.core.errors import ServiceUnavailable

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    sqlite3.OperationalError,
    DiskCacheTimeout,
    RedisConnectionError,
    RedisTimeoutError,
    RedisReadOnlyError,
    BrokerError,
    ConnectionError,
    ServiceUnavailable,
)


def is_unavailable(exc: BaseException) -> bool:
    """True when the exception comes from a backing service being down, unreachable or overloaded."""
    return isinstance(exc, UNAVAILABLE_ERRORS)
