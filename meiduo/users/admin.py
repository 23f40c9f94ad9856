"""Operator admin for users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from meiduo.users.forms import StaffLoginForm
from meiduo.users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin with the mobile and e-mail state added (and accounts waiting for activation)."""

    list_display = ("username", "mobile", "email", "email_active", "is_active", "is_staff", "date_joined")
    list_filter = (*DjangoUserAdmin.list_filter, "activation_pending")
    search_fields = ("username", "mobile", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Shop"), {"fields": ("mobile", "email_active", "activation_pending")}),
    )


# The admin's login counts failures with the API login (captcha after failures, refusal per client).
admin.site.login_form = StaffLoginForm
admin.site.login_template = "admin/staff_login.html"
