"""What a shopper keeps while browsing: the history of SKUs seen and the favourites."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError, NotFoundError
from meiduo.core.expressions import decreased
from meiduo.goods.models import SKU
from meiduo.users.models import BrowseHistory, Favorite, User


def browse_history_add(*, user: User, sku_id: int) -> None:
    """Record a visit: the SKU moves to the front (no duplicates) and only the newest few are kept."""
    if not SKU.objects.filter(pk=sku_id, is_launched=True).exists():
        raise FieldError("sku_id", _("This product does not exist or is off sale."))
    now = timezone.now()
    with transaction.atomic():
        # A user's visits are recorded one at a time (their row locked; on SQLite every write transaction is), so
        # a concurrent visit of the same SKU finds the row to update. Without the lock, on InnoDB (MySQL) concurrent
        # inserts of one row share-lock it, then each one's update waits for the others': a deadlock.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
        if not BrowseHistory.objects.filter(user=user, sku_id=sku_id).update(visit_time=now):
            BrowseHistory.objects.create(user=user, sku_id=sku_id, visit_time=now)
        newest = BrowseHistory.objects.filter(user=user).order_by("-visit_time", "-id")
        keep = list(newest.values_list("id", flat=True)[: settings.BROWSE_HISTORY_LENGTH])
        BrowseHistory.objects.filter(user=user).exclude(id__in=keep).delete()


def favorite_add(*, user: User, sku_id: int) -> tuple[SKU, bool]:
    """Save a SKU for the user; saving it again changes nothing. Returns the SKU and whether it was new."""
    with transaction.atomic():
        # Adds of one SKU are made one at a time (its row locked; on SQLite every write transaction is), so a
        # concurrent add of the same SKU is found, not inserted twice. Without the lock, on InnoDB (MySQL) each
        # insert share-locks the SKU's row (the foreign key check) and two adds then updating the count deadlock.
        sku = SKU.objects.select_for_update().filter(pk=sku_id, is_launched=True).first()
        if sku is None:
            raise FieldError("sku_id", _("This product does not exist or is off sale."))
        _favorite, created = Favorite.objects.get_or_create(user=user, sku=sku)
        if created:  # counted with the row that made it, so the count is exact under concurrency
            SKU.objects.filter(pk=sku.pk).update(favorites=F("favorites") + 1)
    return sku, created


def favorite_remove(*, user: User, sku_id: int) -> None:
    """Forget a saved SKU; NotFoundError when it was not saved."""
    with transaction.atomic():
        # sku__id (not sku_id) so that an id beyond the column range is "not found", not a database error
        deleted, _counts = Favorite.objects.filter(user=user, sku__id=sku_id).delete()
        if not deleted:
            raise NotFoundError()
        SKU.objects.filter(pk=sku_id).update(favorites=decreased("favorites", deleted))
