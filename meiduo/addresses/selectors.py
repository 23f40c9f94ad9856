"""Reads of addresses: a user's live addresses (default first) and one own address."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from meiduo.addresses.models import Address
from meiduo.core.errors import NotFoundError
from meiduo.users.models import User


def address_list(*, user: User) -> QuerySet[Address]:
    """The user's addresses that are not deleted: the default one first, then the most recently changed."""
    first = Case(When(pk=user.default_address_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Address.objects.filter(user=user, is_deleted=False)
        .select_related("province", "city", "district")
        .order_by(first, "-update_time", "-id")
    )


def address_get(*, user: User, address_id: int) -> Address:
    """One of the user's live addresses; NotFoundError for a deleted one or someone else's."""
    address = (
        Address.objects.filter(pk=address_id, user=user, is_deleted=False)
        .select_related("province", "city", "district")
        .first()
    )
    if address is None:
        raise NotFoundError()
    return address
