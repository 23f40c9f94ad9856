"""Commands: load_demo, generate_catalog, oauth_fake_providers."""
