"""Features / scheduling."""
