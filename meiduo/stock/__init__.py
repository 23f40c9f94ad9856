"""Stock: the one place the stock columns of SKUs change (taken by orders, returned, adjusted by staff)."""
