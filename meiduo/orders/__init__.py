"""Settlement, order placement without oversell, the order lifecycle and reviews."""
