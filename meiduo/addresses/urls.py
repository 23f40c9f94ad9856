"""Routes of the addresses app under /api/v1/ (see API.md)."""

from django.urls import URLPattern, URLResolver, path

from meiduo.addresses import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("addresses/", views.AddressListView.as_view(), name="address-list"),
    path("addresses/<int:address_id>/", views.AddressDetailView.as_view(), name="address-detail"),
    path("addresses/<int:address_id>/status/", views.AddressStatusView.as_view(), name="address-status"),
    path("addresses/<int:address_id>/title/", views.AddressTitleView.as_view(), name="address-title"),
]
