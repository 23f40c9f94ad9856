"""API pagination: `?page=&page_size=` with a cap, and a 400 (not a 404) for a page that does not exist."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StandardPagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; page_size capped at 100, bad values fall back to 10."""

    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # raised by DRF only for a page number out of range or not a number
            raise ValidationError({"page": [_("This page does not exist.")]}) from exc
