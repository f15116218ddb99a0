"""Features / client area."""
