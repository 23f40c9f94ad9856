"""Routes of the oauth app under /api/v1/ (see API.md, Third-party login)."""

from django.urls import path

from meiduo.oauth import views

urlpatterns = [
    path("oauth/<str:provider>/authorization/", views.AuthorizationView.as_view(), name="oauth-authorization"),
    path("oauth/<str:provider>/user/", views.OAuthUserView.as_view(), name="oauth-user"),
]
