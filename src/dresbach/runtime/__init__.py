"""The runtime: the database, the unit of work, the outbox and the workers."""
