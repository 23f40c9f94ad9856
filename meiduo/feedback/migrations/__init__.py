"""Migrations of the feedback app."""
