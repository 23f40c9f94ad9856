"""Management commands of orders."""
