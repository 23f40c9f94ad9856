"""Demo data and fake providers: what `make run` and the tests need and a production shop does not install.

- `catalog`: the demo catalog and home page (`manage.py load_demo`), with images drawn by `images`;
- `synthetic`: generated catalogs of any size for benchmarks (`manage.py generate_catalog`);
- `oauth_fakes`: loopback QQ and Weibo providers speaking their real protocols (`manage.py oauth_fake_providers`).
"""
