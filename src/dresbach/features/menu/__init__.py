"""Features / menu."""
