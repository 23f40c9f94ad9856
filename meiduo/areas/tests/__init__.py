"""Tests of the areas app."""
