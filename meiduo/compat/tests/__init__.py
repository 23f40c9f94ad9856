"""Tests of the compat app."""
