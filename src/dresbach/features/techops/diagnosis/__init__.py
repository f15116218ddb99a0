"""Features / techops / diagnosis."""
