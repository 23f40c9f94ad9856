"""The national province/city/district division tree and its data."""
