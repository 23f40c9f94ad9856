"""Tests of the oauth app."""
