"""Routes of the verifications app under /api/v1/ (see API.md, Verification codes)."""

from django.urls import path

from meiduo.verifications import views

urlpatterns = [
    path("image_codes/<uuid:uuid>/", views.ImageCodeView.as_view(), name="image-code"),
    path("sms_codes/<str:mobile>/", views.SmsCodeView.as_view(), name="sms-code"),
]
