"""The API's JSON parser reads every body as DRF's does, faster, and refuses what DRF refuses in the shopper's
language."""

import io
import math
from typing import Any

import pytest
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.test import APIClient

from meiduo.core.parsers import FastJSONParser

BODIES = [
    b'{"address": 1, "pay_method": 2, "sku_id": 3, "count": 4}',
    '{"name": "华为 Mate 60", "note": "line\\u2028sep \\"q\\" \\\\ \\ud83d\\ude00"}'.encode(),
    b'{"big": 1180591620717411303424, "negative": -7, "float": 0.1, "exp": 1e400}',  # orjson refuses the first
    b'{"lone": "\\ud800"}',  # a lone surrogate: orjson refuses it, json reads it
    b'{"same": 1, "same": 2}',
    b"[1, [2, [3, null, true, false]]]",
    b'{"nan": NaN}',
    b'{"inf": Infinity}',
    b'{"unfinished": ',
    b"",
    b'\xef\xbb\xbf{"bom": 1}',
    b'{"bad utf-8": "\xff"}',
]


def parsed(parser: JSONParser, body: bytes, encoding: str = "utf-8") -> tuple[str, Any]:
    try:
        return "value", parser.parse(io.BytesIO(body), "application/json", {"encoding": encoding})
    except ParseError:
        return "error", None


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_a_body_is_read_as_drfs_parser_reads_it(body: bytes, encoding: str) -> None:
    fast, drf = parsed(FastJSONParser(), body, encoding), parsed(JSONParser(), body, encoding)
    if fast[0] == "value" and isinstance(fast[1], dict) and "exp" in fast[1]:
        assert math.isinf(fast[1]["exp"]) and math.isinf(drf[1]["exp"])
        fast[1].pop("exp"), drf[1].pop("exp")
    assert fast == drf


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"), [("zh-hans", "请求内容不是有效的 JSON。"), ("en", "The request body is not valid JSON.")]
)
def test_a_malformed_body_is_400_in_the_shoppers_language(language: str, message: str) -> None:
    response = APIClient().post(
        "/api/v1/authorizations/", b'{"username": ', content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "code": "parse_error"}
