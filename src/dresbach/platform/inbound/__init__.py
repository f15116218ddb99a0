"""Platform / inbound."""
