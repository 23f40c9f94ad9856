"""Search endpoint: on-sale sku-cards matching a (Chinese) text, by relevance, paginated and cached."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from meiduo.goods.caching import cached_catalog_response
from meiduo.goods.models import SKU
from meiduo.goods.serializers import SKUCardSerializer
from meiduo.search.selectors import sku_search


class SKUSearchView(generics.ListAPIView):
    """GET skus/search/?text=: on-sale sku-cards by relevance; the text is segmented (手机 finds 华为手机)."""

    authentication_classes = ()
    permission_classes = ()
    filter_backends = ()
    serializer_class = SKUCardSerializer
    queryset = SKU.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "text", OpenApiTypes.STR, description="Words to find (every word must match); empty: no results."
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def build() -> Any:
            results: Any = sku_search(text=request.query_params.get("text", ""))
            page = self.paginate_queryset(results)
            return self.get_paginated_response(SKUCardSerializer(page, many=True).data).data

        return cached_catalog_response(request, build)
