"""The catalog: categories, channels, brands, SPUs, SKUs, specifications, images, home content."""
