"""Features / payments."""
