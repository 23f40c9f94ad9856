"""Operations: the staff dashboard (the admin's index), staff roles, exports and order handling in the admin."""
