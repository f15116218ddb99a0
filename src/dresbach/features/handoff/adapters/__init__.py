"""Features / handoff / adapters."""
