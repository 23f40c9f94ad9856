"""Tests of the verifications app."""
