"""Commands: cancel_expired_orders."""
