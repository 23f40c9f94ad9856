"""End-to-end tests of the storefront in headless Chromium (marked `browser`)."""
