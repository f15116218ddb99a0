"""Features / scheduling / adapters."""
