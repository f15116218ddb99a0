"""Features / operators."""
