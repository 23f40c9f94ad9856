"""Routes of the carts app under /api/v1/ (see API.md); `cart/` is an alias of `carts/`."""

from django.urls import path

from meiduo.carts import views

urlpatterns = [
    path("carts/", views.CartView.as_view(), name="carts"),
    path("carts/selection/", views.CartSelectionView.as_view(), name="carts-selection"),
    path("carts/simple/", views.CartSimpleView.as_view(), name="carts-simple"),
    path("cart/", views.CartView.as_view(), name="cart-alias"),
    path("cart/selection/", views.CartSelectionView.as_view(), name="cart-selection-alias"),
    path("cart/simple/", views.CartSimpleView.as_view(), name="cart-simple-alias"),
]
