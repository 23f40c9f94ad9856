"""Area answers through the shop's memory tier (meiduo.core.fronttier): Django's very answer, refreshed by an import."""

import pytest

from config.wsgi import application as shop_application
from config.wsgi import django_application
from meiduo.areas.caching import AREA_ROUTES
from meiduo.areas.dataset import dataset_read
from meiduo.areas.services import area_tree_import
from meiduo.core.fronttier import FrontCache
from tests.support import wsgi_call

pytestmark = pytest.mark.usefixtures("division_tree")


def test_area_answers_are_kept_and_sent_as_django_sends_them(django_assert_num_queries) -> None:
    front = FrontCache(django_application, routes=AREA_ROUTES)
    for url in ("/api/v1/areas/", "/api/v1/areas/4403/"):
        first = wsgi_call(front, url)
        with django_assert_num_queries(0):
            hit = wsgi_call(front, url)
        django_answer = wsgi_call(django_application, url)
        assert (
            (hit.status, hit.headers, hit.body)
            == (200, django_answer.headers, django_answer.body)
            == (
                first.status,
                first.headers,
                first.body,
            )
        )
    assert len(front._entries) == 2
    assert {route.pattern for route in AREA_ROUTES} <= {route.pattern for route in shop_application.routes}


def test_an_import_shows_on_the_next_request(django_capture_on_commit_callbacks) -> None:
    front = FrontCache(django_application, routes=AREA_ROUTES)
    assert {"id": 440305, "name": "南山区"} in wsgi_call(front, "/api/v1/areas/4403/").json()["subs"]
    rows = [(code, "南山新区" if code == 440305 else name, parent) for code, name, parent in dataset_read()["rows"]]

    with django_capture_on_commit_callbacks(execute=True):
        area_tree_import(rows=rows)

    assert {"id": 440305, "name": "南山新区"} in wsgi_call(front, "/api/v1/areas/4403/").json()["subs"]
