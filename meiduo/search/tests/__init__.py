"""Tests of the search app."""
