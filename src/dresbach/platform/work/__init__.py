"""Platform / work."""
