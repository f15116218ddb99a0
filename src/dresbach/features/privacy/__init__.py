"""Features / privacy."""
