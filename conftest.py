"""Pytest fixtures shared by every app's tests: API clients, users and a clean cache."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Each test starts with an empty cache (codes, captchas, rate-limit counters)."""
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    """An anonymous API client."""
    return APIClient()
