"""Routes of the users app under /api/v1/ (see API.md: Accounts, browse history and favourites)."""

from django.urls import path

from meiduo.users import views

urlpatterns = [
    path("usernames/<str:username>/count/", views.UsernameCountView.as_view(), name="username-count"),
    path("mobiles/<str:mobile>/count/", views.MobileCountView.as_view(), name="mobile-count"),
    path("users/", views.UserCreateView.as_view(), name="user-create"),
    path("registrations/email/", views.EmailRegisterView.as_view(), name="email-register"),
    path("registrations/email/activation/", views.ActivationView.as_view(), name="email-activation"),
    path("registrations/email/resend/", views.ActivationResendView.as_view(), name="email-activation-resend"),
    path("authorizations/", views.AuthorizationView.as_view(), name="authorizations"),
    path("authorizations/sms_codes/", views.SmsLoginCodeView.as_view(), name="sms-login-code"),
    path("authorizations/sms/", views.SmsLoginView.as_view(), name="sms-login"),
    path("authorizations/refresh/", views.RefreshView.as_view(), name="authorizations-refresh"),
    path("user/", views.UserDetailView.as_view(), name="user-detail"),
    # user center
    path("email/", views.EmailView.as_view(), name="email"),
    path("emails/verification/", views.EmailVerificationView.as_view(), name="email-verification"),
    path("users/<int:user_id>/password/", views.PasswordView.as_view(), name="user-password"),
    path("accounts/<str:account>/sms/token/", views.PasswordResetSmsTokenView.as_view(), name="reset-sms-token"),
    path("sms_codes/", views.PasswordResetSmsView.as_view(), name="reset-sms-code"),
    path("accounts/<str:account>/password/token/", views.PasswordResetTokenView.as_view(), name="reset-token"),
    path("browse_histories/", views.BrowseHistoryView.as_view(), name="browse-histories"),
    path("favorites/", views.FavoriteListView.as_view(), name="favorites"),
    path("favorites/<int:sku_id>/", views.FavoriteDetailView.as_view(), name="favorite-detail"),
]
