"""Routes of the users app under /api/v1/ (see API.md, Accounts)."""

from django.urls import path

from meiduo.users import views

urlpatterns = [
    path("usernames/<str:username>/count/", views.UsernameCountView.as_view(), name="username-count"),
    path("mobiles/<str:mobile>/count/", views.MobileCountView.as_view(), name="mobile-count"),
    path("users/", views.UserCreateView.as_view(), name="user-create"),
    path("authorizations/", views.AuthorizationView.as_view(), name="authorizations"),
    path("authorizations/refresh/", views.RefreshView.as_view(), name="authorizations-refresh"),
    path("user/", views.UserDetailView.as_view(), name="user-detail"),
]
