"""The API's JSON renderer writes exactly DRF's bytes, faster: clients and ETags see no difference."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from meiduo.core.renderers import FastJSONRenderer

SAMPLES: list[Any] = [
    {"id": 1, "name": "华为 Mate 60", "price": "5499.00", "default_image_url": None, "comments": 0},
    {"count": 2, "next": "http://127.0.0.1:8000/api/v1/x/?page=2", "previous": None, "results": [1, 2.5, True]},
    {"text": 'line\u2028separator\u2029and\nnewline "quotes" \\ \t \x00 \U0001f600'},
    {"money": Decimal("12.30"), "big": 2**53 + 1, "negative": -7, "float": 0.1},
    {"when": timezone.now(), "naive": datetime.datetime(2026, 12, 5, 8, 30, 1, 123456), "day": datetime.date.today()},
    {"utc": datetime.datetime(2026, 12, 5, 8, 30, tzinfo=datetime.UTC), "time": datetime.time(9, 15, 30)},
    {"lazy": gettext_lazy("This field is required."), "uuid": uuid.UUID(int=12345), 3: "int key"},
    ReturnDict({"a": ReturnList([{"b": "c"}], serializer=None)}, serializer=None),  # type: ignore[call-overload]
    [],
    "plain string",
    {"delta": datetime.timedelta(days=1, seconds=5)},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_bytes_are_drfs(data: Any) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_indented_output_is_drfs() -> None:
    data = {"a": [1, {"b": "中文"}]}
    assert FastJSONRenderer().render(data, "application/json; indent=2", {}) == JSONRenderer().render(
        data, "application/json; indent=2", {}
    )


def test_nothing_renders_as_an_empty_body() -> None:
    assert FastJSONRenderer().render(None) == b""


def test_the_api_answers_with_it(client: Any, db: None) -> None:
    answer = client.get("/api/v1/areas/")
    assert answer.status_code == 200
    assert answer.content == JSONRenderer().render(answer.json())
