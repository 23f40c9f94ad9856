"""The operations API and statistics for the shop's operators."""
