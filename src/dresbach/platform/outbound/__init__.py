"""Platform / outbound."""
