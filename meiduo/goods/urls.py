"""Routes of the goods app under /api/v1/ (see API.md)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from meiduo.goods import views


class CatalogIdConverter:
    """A database id: 1 to 18 digits, so an id too large for the database is a 404, not a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


CATALOG_ID = "catalog_id"
register_converter(CatalogIdConverter, CATALOG_ID)

urlpatterns: list[URLPattern | URLResolver] = [
    path("home/", views.HomeView.as_view(), name="home"),
    path("categories/<catalog_id:category_id>/", views.CategoryView.as_view(), name="category"),
    path("categories/<catalog_id:category_id>/skus/", views.CategorySKUListView.as_view(), name="category-skus"),
    path("categories/<catalog_id:category_id>/hotskus/", views.CategoryHotSKUView.as_view(), name="category-hot"),
    path("categories/<catalog_id:category_id>/visits/", views.CategoryVisitView.as_view(), name="category-visits"),
    path("skus/<catalog_id:sku_id>/", views.SKUDetailView.as_view(), name="sku-detail"),
    path("skus/<catalog_id:sku_id>/views/", views.SKUViewCountView.as_view(), name="sku-views"),
]
