"""Features / techops."""
