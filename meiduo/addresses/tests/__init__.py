"""Tests of the addresses app."""
