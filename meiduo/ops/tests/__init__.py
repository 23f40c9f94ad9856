"""Tests of the ops app."""
