"""Routes of the demo gateway under /api/v1/ (answered only while PAYMENT_GATEWAY=demo)."""

from django.urls import path

from meiduo.demo import views

urlpatterns = [
    path("payment/demo/gateway/", views.DemoGatewayView.as_view(), name="payment-demo-gateway"),
    path("payment/demo/pay/", views.DemoPayView.as_view(), name="payment-demo-pay"),
]
