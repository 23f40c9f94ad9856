"""Accounts: the user model, registration, login by username or mobile, JWT sessions, profile."""
