"""Management commands of the areas app."""
