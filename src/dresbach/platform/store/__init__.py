"""Platform / store."""
