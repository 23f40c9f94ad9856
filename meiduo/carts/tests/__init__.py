"""Tests of the carts app."""
