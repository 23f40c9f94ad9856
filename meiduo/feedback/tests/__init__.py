"""Tests of customer messages."""
