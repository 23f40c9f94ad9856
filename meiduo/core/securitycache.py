"""The cache of security state: rate-limit counters, login and SMS tries, codes, captchas and one-time nonces.

It is the `security` alias of CACHES, never the `default` one that holds
catalog answers, so a flood of catalog entries can never evict a counter (and
so reset a limit): a separate diskcache folder with no eviction locally, a
separate Redis database/prefix in production (REDIS_SECURITY_URL, on a Redis
with `maxmemory-policy noeviction`). Every security module reads and writes
through `security_cache` here.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

SECURITY_CACHE_ALIAS = "security"

security_cache = ConnectionProxy(caches, SECURITY_CACHE_ALIAS)
