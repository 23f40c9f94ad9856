"""Writes of addresses: create within the limit, edit, soft-delete, make default, retitle."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meiduo.addresses.models import Address
from meiduo.areas.models import Area
from meiduo.core.errors import FieldError, NotFoundError, ServiceError
from meiduo.users.models import User

ADDRESS_LIMIT = 20


def _areas_nested(*, province_id: int, city_id: int, district_id: int) -> tuple[Area, Area, Area]:
    """The three divisions, checked to be a province, a city inside it and a district inside that city."""
    found = {area.pk: area for area in Area.objects.filter(pk__in=[province_id, city_id, district_id])}
    province, city, district = found.get(province_id), found.get(city_id), found.get(district_id)
    if province is None or province.parent_id is not None:
        raise FieldError("province_id", _("Choose a province."))
    if city is None or city.parent_id != province.pk:
        raise FieldError("city_id", _("The city is not in the chosen province."))
    if district is None or district.parent_id != city.pk:
        raise FieldError("district_id", _("The district is not in the chosen city."))
    return province, city, district


def _own_address_locked(*, user: User, address_id: int) -> Address:
    """One of the user's live addresses, row-locked until the transaction ends; NotFoundError otherwise."""
    address = Address.objects.select_for_update().filter(pk=address_id, user=user, is_deleted=False).first()
    if address is None:
        raise NotFoundError()
    return address


def address_create(
    *,
    user: User,
    receiver: str,
    province_id: int,
    city_id: int,
    district_id: int,
    place: str,
    mobile: str,
    title: str = "",
    tel: str = "",
    email: str = "",
) -> Address:
    """Add an address (at most ADDRESS_LIMIT live ones); the first one becomes the default."""
    province, city, district = _areas_nested(province_id=province_id, city_id=city_id, district_id=district_id)
    with transaction.atomic():
        # Lock the user row so concurrent creates cannot both pass the limit (SQLite: IMMEDIATE transactions).
        owner = User.objects.select_for_update().only("id", "default_address_id").get(pk=user.pk)
        if Address.objects.filter(user=owner, is_deleted=False).count() >= ADDRESS_LIMIT:
            raise ServiceError(_("You can keep at most %(limit)d addresses.") % {"limit": ADDRESS_LIMIT})
        address = Address.objects.create(
            user=owner,
            title=title or receiver,
            receiver=receiver,
            province=province,
            city=city,
            district=district,
            place=place,
            mobile=mobile,
            tel=tel,
            email=email,
        )
        if owner.default_address_id is None:
            User.objects.filter(pk=owner.pk, default_address__isnull=True).update(default_address=address)
    return address


def address_update(
    *,
    user: User,
    address_id: int,
    receiver: str,
    province_id: int,
    city_id: int,
    district_id: int,
    place: str,
    mobile: str,
    title: str = "",
    tel: str = "",
    email: str = "",
) -> Address:
    """Replace every field of one of the user's addresses (an empty title keeps the current one)."""
    province, city, district = _areas_nested(province_id=province_id, city_id=city_id, district_id=district_id)
    with transaction.atomic():
        address = _own_address_locked(user=user, address_id=address_id)
        address.province, address.city, address.district = province, city, district
        address.title = title or address.title
        address.receiver, address.place, address.mobile = receiver, place, mobile
        address.tel, address.email = tel, email
        address.save()
    return address


@transaction.atomic
def address_delete(*, user: User, address_id: int) -> None:
    """Hide the address from the user (old orders keep pointing at it); it stops being the default."""
    address = _own_address_locked(user=user, address_id=address_id)
    Address.objects.filter(pk=address.pk).update(is_deleted=True)
    User.objects.filter(pk=user.pk, default_address=address).update(default_address=None)


@transaction.atomic
def address_set_default(*, user: User, address_id: int) -> None:
    """Make one of the user's addresses the default one."""
    address = _own_address_locked(user=user, address_id=address_id)
    User.objects.filter(pk=user.pk).update(default_address=address)


@transaction.atomic
def address_retitle(*, user: User, address_id: int, title: str) -> Address:
    """Change the title of one of the user's addresses."""
    address = _own_address_locked(user=user, address_id=address_id)
    address.title = title
    address.save(update_fields=["title", "update_time"])
    return address
