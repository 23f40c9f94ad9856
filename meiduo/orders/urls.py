"""Routes of the orders app under /api/v1/ (see API.md)."""

from django.urls import path

from meiduo.goods import urls as goods_urls  # registers the catalog_id path converter
from meiduo.orders import views
from meiduo.orders.converters import ORDER_ID

urlpatterns = [
    # An SKU's reviews are order lines: the catalog path, served by orders.
    path(f"skus/<{goods_urls.CATALOG_ID}:sku_id>/comments/", views.SKUCommentListView.as_view(), name="sku-comments"),
    path("orders/settlement/", views.SettlementView.as_view(), name="orders-settlement"),
    path("orders/", views.OrdersView.as_view(), name="orders"),
    path(f"orders/{ORDER_ID}/", views.OrderDetailView.as_view(), name="order-detail"),
    path(f"orders/{ORDER_ID}/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path(f"orders/{ORDER_ID}/receipt/", views.OrderReceiptView.as_view(), name="order-receipt"),
    path(f"orders/{ORDER_ID}/uncommentgoods/", views.UncommentedGoodsView.as_view(), name="order-uncommented"),
    path(f"orders/{ORDER_ID}/comments/", views.OrderCommentView.as_view(), name="order-comments"),
]
