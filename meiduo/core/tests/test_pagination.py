"""The API's pagination: the same answer and links as DRF's own PageNumberPagination, and 400 for a bad page."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from meiduo.core.pagination import StandardPagination


class DRFPagination(PageNumberPagination):
    """DRF's links and answer, with the shop's page sizes."""

    page_size = StandardPagination.page_size
    page_size_query_param = StandardPagination.page_size_query_param
    max_page_size = StandardPagination.max_page_size


QUERIES = [
    "",
    "page=2",
    "page=3&page_size=20&ordering=price",
    "ordering=-sales&page=2&page_size=20",
    "page=last&page_size=7",
    "page=5&page_size=7",
    "page_size=500&page=2",
    "text=%E5%8D%8E%E4%B8%BA+%E6%89%8B%E6%9C%BA&page=2&page_size=5",
    "b=2&a=1&a=3&page=4&empty=&page_size=3",
    "page=1&page=3&page_size=3",
    "z=%20x&page=9&page_size=11",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("items", [0, 1, 30, 100])
def test_answer_and_links_equal_drfs(query: str, items: int, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["shop.example"]
    factory = APIRequestFactory()
    rows = list(range(items))
    answers = []
    for pagination in (StandardPagination(), DRFPagination()):
        request = Request(factory.get(f"/api/v1/things/?{query}", HTTP_HOST="shop.example:8443"))
        try:
            page: list[Any] | None = pagination.paginate_queryset(rows, request)  # type: ignore[arg-type]
        except ValidationError:
            answers.append("400")
            continue
        except Exception as exc:  # noqa: BLE001 - DRF's 404 for a page that does not exist
            answers.append(type(exc).__name__)
            continue
        answers.append(pagination.get_paginated_response(page).data)
    ours, drfs = answers
    if ours == "400":  # the shop answers 400 where DRF answers 404
        assert drfs == "NotFound"
    else:
        assert ours == drfs


def test_links_of_a_middle_page() -> None:
    request = Request(APIRequestFactory().get("/api/v1/things/?page=2&page_size=10&ordering=price"))
    pagination = StandardPagination()
    page: list[Any] | None = pagination.paginate_queryset(list(range(35)), request)
    data = pagination.get_paginated_response(page).data
    assert data["count"] == 35
    assert data["results"] == list(range(10, 20))
    assert data["next"] == "http://testserver/api/v1/things/?ordering=price&page=3&page_size=10"
    assert data["previous"] == "http://testserver/api/v1/things/?ordering=price&page_size=10"


@pytest.mark.django_db
def test_a_page_of_a_queryset_is_read_with_one_statement(django_assert_num_queries) -> None:
    Group.objects.bulk_create([Group(name=f"group {number:02}") for number in range(30)])
    request = Request(APIRequestFactory().get("/api/v1/things/?page=2&page_size=7"))

    with django_assert_num_queries(2):  # the count, the page
        page = StandardPagination().paginate_queryset(Group.objects.order_by("name"), request)

    assert [group.name for group in page or []] == [f"group {number:02}" for number in range(7, 14)]
