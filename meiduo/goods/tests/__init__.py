"""Tests of the goods app."""
