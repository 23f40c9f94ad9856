"""API pagination: `?page=&page_size=` with a cap, and a 400 (not a 404) for a page that does not exist."""

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


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

    def get_paginated_response(self, data: Any) -> Response:
        return Response(self.paginated_data(data))

    def paginated_data(self, data: Any) -> dict[str, Any]:
        """DRF's answer and links (`test_pagination.py` compares them), with the request's URL parsed once for
        both links instead of once per link (a tenth of an uncached list page)."""
        page = self.page
        if page is None:
            raise RuntimeError("paginate_queryset() comes first")
        has_next, has_previous = page.has_next(), page.has_previous()
        link = self._link_builder() if has_next or has_previous else None
        return {
            "count": page.paginator.count,
            "next": link(page.number + 1) if link is not None and has_next else None,
            # DRF drops the parameter for the first page rather than writing page=1
            "previous": link(page.number - 1 if page.number > 2 else None)
            if link is not None and has_previous
            else None,
            "results": data,
        }

    def _link_builder(self) -> Callable[[int | None], str]:
        """A function giving the request's absolute URL with `page` set to a number (or removed for None), its
        parameters sorted as DRF's replace_query_param writes them."""
        request = self.request
        if request is None:
            raise RuntimeError("paginate_queryset() comes first")
        scheme, netloc, path, query, fragment = urlsplit(request.build_absolute_uri())
        params = parse_qs(query, keep_blank_values=True)
        params.pop(self.page_query_param, None)

        def link(number: int | None) -> str:
            items = params if number is None else {**params, self.page_query_param: [str(number)]}
            return urlunsplit((scheme, netloc, path, urlencode(sorted(items.items()), doseq=True), fragment))

        return link
