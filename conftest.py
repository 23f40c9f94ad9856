"""Pytest fixtures shared by every app's tests: API clients, a clean cache, SMS codes from the console provider."""

import logging
import re
from collections.abc import Callable

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

# The test process runs jobs as the worker does: the shop's Celery app is loaded (a web process loads it with its
# first job, meiduo.core.jobs), so `celery.current_app` and the tasks' `shared_task` are the configured app.
import config.celery  # noqa: F401
from meiduo.core import throttles
from meiduo.goods import services as goods_services
from meiduo.orders import services as order_services

SMS_LINE = re.compile(r"SMS code for (?P<mobile>\d+): (?P<code>\d{6})")


@pytest.fixture(autouse=True)
def _clean_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with empty caches (cached answers; codes, captchas, rate-limit counters), no product
    views counted by an earlier test, fresh per-process read budgets and no order numbers remembered as given."""
    for alias in caches:
        caches[alias].clear()
    monkeypatch.setattr(goods_services, "_views", goods_services._ViewCounts())
    monkeypatch.setattr(throttles.ProcessReadThrottle, "windows", throttles._Windows())
    monkeypatch.setattr(order_services, "_numbers_given", order_services._NumbersGiven())


@pytest.fixture
def api() -> APIClient:
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def sms_outbox(caplog: pytest.LogCaptureFixture) -> Callable[[str], list[str]]:
    """`sms_outbox(mobile)` lists the codes the console SMS provider sent to that mobile, oldest first."""
    caplog.set_level(logging.INFO, logger="meiduo.sms")

    def codes(mobile: str) -> list[str]:
        found = (SMS_LINE.search(record.getMessage()) for record in caplog.records if record.name == "meiduo.sms")
        return [match["code"] for match in found if match and match["mobile"] == mobile]

    return codes


@pytest.fixture
def sms_code(api: APIClient, sms_outbox: Callable[[str], list[str]], settings) -> Callable[[str], str]:
    """`sms_code(mobile)` asks the API for an SMS code (captcha off) and returns the code that was sent."""
    settings.SMS_CAPTCHA_REQUIRED = False

    def request(mobile: str) -> str:
        response = APIClient().get(f"/api/v1/sms_codes/{mobile}/")
        assert response.status_code == 200, response.content
        return sms_outbox(mobile)[-1]

    return request
