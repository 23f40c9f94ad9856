"""Management commands of compat."""
