"""Which exceptions mean "a backing service is down" (database, cache, broker) rather than a bug."""

import sqlite3

from diskcache import Timeout as DiskCacheTimeout
from django.db import DatabaseError, IntegrityError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from meiduo.core.errors import ServiceUnavailable

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseError,
    sqlite3.Error,
    DiskCacheTimeout,
    RedisError,
    BrokerError,
    ConnectionError,
    ServiceUnavailable,
)


def is_unavailable(exc: BaseException) -> bool:
    """True when the exception comes from a backing service being down or overloaded.

    An IntegrityError is a conflict between requests, not an outage; services
    turn the ones they expect into 400s, and any other is still answered 503
    (never a 500) but logged with its traceback as a bug.
    """
    return isinstance(exc, UNAVAILABLE_ERRORS)


def is_bug_like(exc: BaseException) -> bool:
    """True for unavailable-class errors that still deserve a traceback in the log."""
    return isinstance(exc, IntegrityError)
