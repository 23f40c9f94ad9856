"""Routes of the payments app under /api/v1/ (see API.md)."""

from django.urls import path

from meiduo.orders.converters import ORDER_ID
from meiduo.payments import views

urlpatterns = [
    path(f"orders/{ORDER_ID}/payment/", views.OrderPaymentView.as_view(), name="order-payment"),
    path("payment/status/", views.PaymentStatusView.as_view(), name="payment-status"),
    path("payment/alipay/notify/", views.AlipayNotifyView.as_view(), name="payment-alipay-notify"),
]
