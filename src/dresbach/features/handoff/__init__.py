"""Features / handoff."""
