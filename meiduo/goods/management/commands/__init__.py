"""load_demo, generate_catalog."""
