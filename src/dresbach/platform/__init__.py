"""I/O that knows no feature: the store, the door, the outbox and sender, workers, observability
and the WhatsApp client."""
