"""Routes of the areas app under /api/v1/ (see API.md)."""

from django.urls import URLPattern, URLResolver, path

from meiduo.areas import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("areas/", views.ProvinceListView.as_view(), name="area-list"),
    path("areas/<int:area_id>/", views.AreaDetailView.as_view(), name="area-detail"),
]
