"""Project-level tests: settings, process wiring and other checks that span apps."""
