"""Management commands of the oauth app."""
