"""What a shopper keeps while browsing: the history of SKUs seen and the favourites."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError, NotFoundError
from meiduo.goods.models import SKU
from meiduo.users.models import BrowseHistory, Favorite, User


def browse_history_add(*, user: User, sku_id: int) -> None:
    """Record a visit: the SKU moves to the front (no duplicates) and only the newest few are kept."""
    if not SKU.objects.filter(pk=sku_id, is_launched=True).exists():
        raise FieldError("sku_id", _("This product does not exist or is off sale."))
    now = timezone.now()
    with transaction.atomic():
        if not BrowseHistory.objects.filter(user=user, sku_id=sku_id).update(visit_time=now):
            try:
                with transaction.atomic():
                    BrowseHistory.objects.create(user=user, sku_id=sku_id, visit_time=now)
            except IntegrityError:  # a concurrent visit of the same SKU inserted it first
                BrowseHistory.objects.filter(user=user, sku_id=sku_id).update(visit_time=now)
        newest = BrowseHistory.objects.filter(user=user).order_by("-visit_time", "-id")
        keep = list(newest.values_list("id", flat=True)[: settings.BROWSE_HISTORY_LENGTH])
        BrowseHistory.objects.filter(user=user).exclude(id__in=keep).delete()


def favorite_add(*, user: User, sku_id: int) -> tuple[SKU, bool]:
    """Save a SKU for the user; saving it again changes nothing. Returns the SKU and whether it was new."""
    sku = SKU.objects.filter(pk=sku_id, is_launched=True).first()
    if sku is None:
        raise FieldError("sku_id", _("This product does not exist or is off sale."))
    try:
        with transaction.atomic():
            _favorite, created = Favorite.objects.get_or_create(user=user, sku=sku)
            if created:  # counted with the row that made it, so the count is exact under concurrency
                SKU.objects.filter(pk=sku.pk).update(favorites=F("favorites") + 1)
    except IntegrityError:  # a concurrent add of the same SKU won
        created = False
    return sku, created


def favorite_remove(*, user: User, sku_id: int) -> None:
    """Forget a saved SKU; NotFoundError when it was not saved."""
    with transaction.atomic():
        # sku__id (not sku_id) so that an id beyond the column range is "not found", not a database error
        deleted, _counts = Favorite.objects.filter(user=user, sku__id=sku_id).delete()
        if not deleted:
            raise NotFoundError()
        SKU.objects.filter(pk=sku_id).update(favorites=Greatest(F("favorites") - deleted, Value(0)))
