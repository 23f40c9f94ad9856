"""Meiduo Mall: the Django apps of the shop, one per business domain."""
