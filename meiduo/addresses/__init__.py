"""Shipping addresses of users."""
