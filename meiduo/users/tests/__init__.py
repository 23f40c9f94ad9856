"""Tests of the users app."""
