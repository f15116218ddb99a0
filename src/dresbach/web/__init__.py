"""The HTTP edge: the webhook, health, and the sandbox simulator."""
