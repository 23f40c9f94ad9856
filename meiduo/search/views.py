"""Search endpoint: on-sale sku-cards matching a (Chinese) text, by relevance, paginated and cached."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from meiduo.goods.serializers import SearchFilterSerializer
from meiduo.goods.views import PublicSKUListView
from meiduo.search.selectors import sku_search


class SKUSearchView(PublicSKUListView):
    """GET skus/search/?text=: on-sale sku-cards by relevance; the text is segmented (手机 finds 华为手机)."""

    filter_serializer = SearchFilterSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "text", OpenApiTypes.STR, description="Words to find (every word must match); empty: no results."
            ),
            SearchFilterSerializer,
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]  # cached bytes: a plain HttpResponse (core/httpcache.py)
        return self.cached_page(
            request,
            lambda: sku_search(text=request.query_params.get("text", ""), narrow=self.narrowing(request)),
        )
