"""One folder per feature: its flow, model, records, service, adapters and registration."""
