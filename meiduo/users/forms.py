"""The admin's login form: the API login's limits (captcha after failures, refusal per client) for staff too."""

import uuid
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from meiduo.core.clientip import client_ip
from meiduo.core.errors import FieldError, RateLimited, ServiceError
from meiduo.users.services.login import user_login


class StaffLoginForm(AdminAuthenticationForm):
    """Checks the password through `user_login`, so the admin counts failures with the API login.

    After repeated failures of the account the form shows an image captcha
    (the shop's own, drawn by GET /api/v1/image_codes/{uuid}/) and needs it; a
    client past its failure limit is refused; the account is never locked.
    """

    image_code_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Captcha"), required=False, max_length=8)

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.captcha_shown = False
        self.captcha_id = str(uuid.uuid4())  # a fresh picture for the next try

    def clean(self) -> dict[str, Any]:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if self.request is None:  # no client to count against: Django's own check
            return super().clean()
        if not username or not password:
            return self.cleaned_data
        image_code_id, text = self.cleaned_data.get("image_code_id"), self.cleaned_data.get("text")
        captcha = (str(image_code_id), text) if image_code_id and text else None
        self.captcha_shown = captcha is not None
        try:
            user = user_login(
                request=self.request, account=username, password=password, ip=client_ip(self.request), captcha=captcha
            )
        except FieldError as exc:  # a captcha is needed, or the one given was wrong
            self.captcha_shown = True
            raise forms.ValidationError(str(exc.message), code="captcha") from exc
        except RateLimited as exc:
            raise forms.ValidationError(str(exc.message), code="throttled") from exc
        except ServiceError as exc:
            raise self.get_invalid_login_error() from exc
        self.confirm_login_allowed(user)
        self.user_cache = user
        return self.cleaned_data
