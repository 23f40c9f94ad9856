"""Reads of areas: the provinces and one division with its direct subdivisions."""

from django.db.models import QuerySet

from meiduo.areas.models import Area
from meiduo.core.errors import NotFoundError


def province_list() -> QuerySet[Area]:
    """Every top-level division (province, municipality, autonomous region), by code."""
    return Area.objects.filter(parent__isnull=True).only("id", "name").order_by("id")


def area_with_subs(area_id: int) -> Area:
    """One division with its subdivisions prefetched; NotFoundError when the code is unknown."""
    area = Area.objects.filter(pk=area_id).prefetch_related("subs").first()
    if area is None:
        raise NotFoundError()
    return area
