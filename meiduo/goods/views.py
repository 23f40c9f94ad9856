"""Catalog endpoints: home page, breadcrumb, category SKU lists, hot SKUs, visits, SKU detail and reviews.

Every GET here is public and answered through the catalog cache (ETag,
Cache-Control, server-side copy invalidated by any catalog edit).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.core.clientip import client_ip
from meiduo.core.httpcache import FrontAnswerMixin
from meiduo.core.pagination import StandardPagination
from meiduo.goods import selectors, services
from meiduo.goods.caching import cached_catalog_response
from meiduo.goods.models import SKU
from meiduo.goods.serializers import (
    BreadcrumbSerializer,
    HomeSerializer,
    SKUCardSerializer,
    SKUDetailSerializer,
    SKUFilterSerializer,
)

CATEGORY_ID = OpenApiParameter("category_id", OpenApiTypes.INT, OpenApiParameter.PATH)
SKU_ID = OpenApiParameter("sku_id", OpenApiTypes.INT, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Unknown id (or not a third-level category / not on sale).")


class PublicCatalogView(FrontAnswerMixin, APIView):
    """Base of the catalog views: anonymous, so a stale token never blocks browsing."""

    authentication_classes = ()
    permission_classes = ()


class PublicSKUListView(FrontAnswerMixin, generics.ListAPIView):
    """Base of the paginated sku-card lists (category list, search): anonymous; orderings checked by the selectors.

    The selectors hand back sku-cards already in the API's shape (`serializer_class` documents it).
    """

    authentication_classes = ()
    permission_classes = ()
    serializer_class = SKUCardSerializer
    queryset = SKU.objects.none()
    pagination_class = StandardPagination
    paginator: StandardPagination

    filter_serializer: type[SKUFilterSerializer] = SKUFilterSerializer

    def narrowing(self, request: Request) -> selectors.SKUFilter:
        """The list's filters from the query (400 on a bad one); empty parameters count as absent."""
        names = self.filter_serializer._declared_fields
        given = {name: value for name, value in request.query_params.items() if name in names and value != ""}
        if not given:  # the usual list: no serializer to build
            return selectors.NO_FILTER
        serializer = self.filter_serializer(data=given)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return selectors.SKUFilter(
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            brand_id=data.get("brand"),
            category_id=data.get("category"),
        )

    def cached_page(self, request: Request, cards: Callable[[], selectors.CardList]) -> HttpResponse:
        """One page of the sku-cards `cards()` lists, answered from the catalog cache."""

        def build() -> Any:
            page: list[selectors.Card] | None = self.paginate_queryset(cards())  # type: ignore[arg-type]  # the paginator slices any sequence
            return self.paginator.paginated_data(page)

        return cached_catalog_response(request, build)


class HomeView(PublicCatalogView):
    """GET home/: the navigation channels and every home page content slot."""

    @extend_schema(responses=HomeSerializer)
    def get(self, request: Request) -> HttpResponse:
        return cached_catalog_response(request, selectors.home)


class CategoryView(PublicCatalogView):
    """GET categories/{id}/: the breadcrumb of a third-level category."""

    @extend_schema(parameters=[CATEGORY_ID], responses={200: BreadcrumbSerializer, 404: NOT_FOUND})
    def get(self, request: Request, category_id: int) -> HttpResponse:
        return cached_catalog_response(request, lambda: selectors.category_breadcrumb(category_id))


class CategorySKUListView(PublicSKUListView):
    """GET categories/{id}/skus/: on-sale sku-cards at or below a category, narrowed, ordered and paginated."""

    @extend_schema(
        parameters=[
            CATEGORY_ID,
            SKUFilterSerializer,
            OpenApiParameter(
                "ordering",
                OpenApiTypes.STR,
                enum=list(selectors.SKU_ORDERINGS),
                description="Sort order; absent = newest first (-create_time). Any other value is a 400.",
            ),
        ],
        responses={200: SKUCardSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]  # cached bytes: a plain HttpResponse (core/httpcache.py)
        return self.cached_page(
            request,
            lambda: selectors.category_skus(
                category_id=self.kwargs["category_id"],
                ordering=request.query_params.get("ordering"),
                narrow=self.narrowing(request),
            ),
        )


class CategoryHotSKUView(PublicCatalogView):
    """GET categories/{id}/hotskus/: the best-selling on-sale sku-cards (up to 2) of a third-level category."""

    @extend_schema(parameters=[CATEGORY_ID], responses={200: SKUCardSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, category_id: int) -> HttpResponse:
        return cached_catalog_response(request, lambda: selectors.category_hot_skus(category_id=category_id))


class CategoryVisitView(PublicCatalogView):
    """POST categories/{id}/visits/: count a visit of a third-level category's list page (once per client a day)."""

    @extend_schema(parameters=[CATEGORY_ID], request=None, responses={204: None, 404: NOT_FOUND})
    def post(self, request: Request, category_id: int) -> Response:
        services.category_visit_add(category_id=category_id, client=client_ip(request))
        return Response(status=204)


class SKUViewCountView(PublicCatalogView):
    """POST skus/{id}/views/: count a view of the product page (batched per process; an unknown id counts nothing)."""

    @extend_schema(parameters=[SKU_ID], request=None, responses={204: None})
    def post(self, request: Request, sku_id: int) -> Response:
        services.sku_views_add(sku_id=sku_id)
        return Response(status=204)


class SKUDetailView(PublicCatalogView):
    """GET skus/{id}/: an on-sale SKU with images, breadcrumb, SPU descriptions and the spec/option matrix."""

    @extend_schema(parameters=[SKU_ID], responses={200: SKUDetailSerializer, 404: NOT_FOUND})
    def get(self, request: Request, sku_id: int) -> HttpResponse:
        return cached_catalog_response(request, lambda: selectors.sku_detail(sku_id=sku_id))
