"""App configuration for customer messages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Messages shoppers send the shop (留言, 投诉, 询问, 售后, 求购) and the staff's answers."""

    name = "meiduo.feedback"
    label = "feedback"
    verbose_name = _("Customer messages")
