"""Shared foundations: errors and the API exception handler, pagination, rate limits, health."""
