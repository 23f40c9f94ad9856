"""The notes' answer shapes, each derived from the v1 answer of the same path (pure functions on parsed JSON).

`RESHAPERS` maps a v1 route name to the function turning its successful
answer into what front_end_pc reads; `error_shape` gives every error body the
DRF default key the notes' pages show (`non_field_errors[0]`).
"""

from collections.abc import Callable
from typing import Any

Json = Any


def order_list_shape(data: Json) -> Json:
    """GET orders/: each line as `{"sku": {"id", "name", "default_image_url"}, "price", "count"}`."""
    for order in data.get("results", []):
        order["skus"] = [
            {
                "sku": {"id": line["id"], "name": line["name"], "default_image_url": line["default_image_url"]},
                "price": line["price"],
                "count": line["count"],
            }
            for line in order["skus"]
        ]
    return data


def search_shape(data: Json) -> Json:
    """GET skus/search/: Haystack-style results, `{"text", "object": sku-card}` each (search.html).

    The card's fields are also kept at the top of each result, as some copies of the notes' search.js read them there.
    """
    data["results"] = [{**card, "text": card["name"], "object": card} for card in data.get("results", [])]
    return data


def error_shape(data: Json) -> Json:
    """An error body with `non_field_errors: [message]` added when it has a message but no field errors."""
    if not isinstance(data, dict) or "non_field_errors" in data:
        return data
    message = data.get("message", data.get("detail"))
    if isinstance(message, str):
        data["non_field_errors"] = [message]
    return data


def pagination_links(data: Json, *, v1_prefix: str, compat_prefix: str) -> Json:
    """`next`/`previous` of a page pointing at /api/compat/ instead of /api/v1/."""
    if isinstance(data, dict):
        for key in ("next", "previous"):
            link = data.get(key)
            if isinstance(link, str):
                data[key] = link.replace(v1_prefix, compat_prefix, 1)
    return data


RESHAPERS: dict[str, Callable[[Json], Json]] = {
    "orders": order_list_shape,
    "sku-search": search_shape,
}
