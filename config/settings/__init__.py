"""Settings modules: base (every setting, from the environment), test and production."""
