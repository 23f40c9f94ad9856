"""Shopping carts: a signed cookie for visitors, database lines for users, merged at login."""
