"""Features / client area / login."""
