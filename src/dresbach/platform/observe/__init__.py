"""Platform / observe."""
