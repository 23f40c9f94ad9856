"""The deny-list of JWT sessions that were logged out (meiduo.core.tokenauth): the one table of the core app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeniedToken(models.Model):
    """A token id (an access token's jti, or a session's sid: its refresh token's jti) refused until `expires_at`,
    when every access token that can carry it has expired anyway.

    In the database rather than a cache: the token check reads it in the statement that reads the user
    (tokenauth), so an authenticated request costs one statement and no cache read, and a cache flushed or
    lost never lets a logged-out token work again.
    """

    token_id = models.CharField(_("token id"), max_length=64, primary_key=True)
    expires_at = models.DateTimeField(_("refused until"), db_index=True)

    class Meta:
        db_table = "tb_denied_token"
        verbose_name = _("logged-out token")
        verbose_name_plural = _("logged-out tokens")

    def __str__(self) -> str:
        return self.token_id
