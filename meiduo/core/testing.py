"""Helpers used only by the test settings (kept importable so settings can name them)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the cheapest parameters, so the suite still hashes with Argon2 but quickly."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
