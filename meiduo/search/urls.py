"""Routes of the search app under /api/v1/ (see API.md)."""

from django.urls import URLPattern, URLResolver, path

from meiduo.search.views import SKUSearchView

urlpatterns: list[URLPattern | URLResolver] = [
    path("skus/search/", SKUSearchView.as_view(), name="sku-search"),
]
