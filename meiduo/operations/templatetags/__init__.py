"""Template tags of the operations pages."""
