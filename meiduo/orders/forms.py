"""Admin forms of orders: the carrier and tracking number an order is shipped with."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from meiduo.orders.models import OrderInfo


class ShipForm(forms.Form):
    """One order's shipment (prefixed by its order number on the ship page)."""

    carrier = forms.ChoiceField(label=_("carrier"), choices=[("", "---------"), *OrderInfo.Carrier.choices])
    tracking_number = forms.CharField(
        label=_("tracking number"),
        max_length=40,
        validators=[
            RegexValidator(r"^[A-Za-z0-9-]{6,40}$", _("A tracking number is 6 to 40 letters, digits or dashes."))
        ],
    )
