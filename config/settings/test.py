"""Test settings: the base settings with eager Celery, fast hashing and a per-run data folder.

The same suite runs on the embedded engines (no variables) and on PostgreSQL +
Redis (`DATABASE_URL`, `REDIS_URL` set by scripts/test-services.sh).
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DATABASES, PASSWORD_HASHERS

DATA_DIR = Path(tempfile.mkdtemp(prefix="meiduo-test-"))
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
MEDIA_ROOT = DATA_DIR / "media"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
# Argon2 stays first so tests prove it is used; its cost is lowered for speed.
PASSWORD_HASHERS = ["tests.support.FastArgon2PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "meiduo.core.sqlite_backend":
    # A file (not :memory:) so that threads in the concurrency tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_meiduo_{os.getpid()}"}

# The suite reads the primary only (a replica cannot see what a test has not committed); tests/test_replica.py
# turns the replicas of DATABASE_REPLICA_URLS on (REPLICA=1 scripts/test-services.sh starts one).
READ_REPLICAS = []

if CACHES["default"]["BACKEND"] == "meiduo.core.boundedcache.BoundedDiskCache":
    CACHES["default"]["LOCATION"] = str(DATA_DIR / "cache")
    CACHES["security"]["LOCATION"] = str(DATA_DIR / "security-cache")
else:
    CACHES["default"]["KEY_PREFIX"] = f"meiduo-test-{os.getpid()}"
    CACHES["security"]["KEY_PREFIX"] = f"meiduo-test-security-{os.getpid()}"
# An edit shows on the very next request (every request checks the shared catalog version).
CATALOG_VERSION_CHECK_INTERVAL = 0

# Let the shop's log records reach pytest's caplog (tests read SMS codes from the console provider).
LOGGING["loggers"]["meiduo"] = {"level": "INFO", "propagate": True}
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir()
