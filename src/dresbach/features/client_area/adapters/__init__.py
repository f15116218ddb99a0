"""Features / client area / adapters."""
