"""Routes of the payments app under /api/v1/ (see API.md), and the demo gateway's pages."""

from django.urls import path

from meiduo.payments import views

urlpatterns = [
    path("orders/<str:order_id>/payment/", views.OrderPaymentView.as_view(), name="order-payment"),
    path("payment/status/", views.PaymentStatusView.as_view(), name="payment-status"),
    path("payment/alipay/notify/", views.AlipayNotifyView.as_view(), name="payment-alipay-notify"),
    path("payment/demo/gateway/", views.DemoGatewayView.as_view(), name="payment-demo-gateway"),
    path("payment/demo/pay/", views.DemoPayView.as_view(), name="payment-demo-pay"),
]
