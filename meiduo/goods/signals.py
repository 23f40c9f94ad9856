"""What the catalog tells the apps above it (search) after a change, so that goods never imports them."""

from django.dispatch import Signal

# Sent with `sku_ids` (a list) once per catalog write, inside its transaction: those SKUs' names, captions,
# brands, categories or on-sale state may have changed. Receivers act after the commit.
skus_changed = Signal()
