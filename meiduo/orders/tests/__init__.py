"""Tests of the orders app."""
